using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_NOP: completes at once with result 0. Measures the ring's own cost.</summary>
public readonly struct NopOperation : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Nop;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
    }
}
