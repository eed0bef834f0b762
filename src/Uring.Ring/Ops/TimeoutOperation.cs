using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_TIMEOUT: completes with ETIME once the relative time in the <c>__kernel_timespec</c> at
/// <paramref name="TimespecAddress"/> has passed — or with 0 as soon as <paramref name="Count"/>
/// other completions have been posted, when <paramref name="Count"/> is not 0.
/// </summary>
/// <param name="TimespecAddress">Native memory holding the timespec until the final completion.</param>
/// <param name="Count">Completions that end the timeout early; 0 for a pure timer.</param>
public readonly record struct TimeoutOperation(ulong TimespecAddress, uint Count) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Timeout;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = -1;
        entry.Address = TimespecAddress;
        entry.Length = 1;
        entry.Offset = Count;
    }
}
