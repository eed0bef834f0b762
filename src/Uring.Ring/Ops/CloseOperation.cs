using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_CLOSE (5.6): <c>close(fd)</c>.</summary>
/// <param name="Fd">The descriptor; nothing else may own it.</param>
public readonly record struct CloseOperation(int Fd) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Close;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry) => entry.Fd = Fd;
}
