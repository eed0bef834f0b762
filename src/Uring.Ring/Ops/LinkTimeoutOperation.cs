using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_LINK_TIMEOUT: a deadline for the SQE just before it, which must carry
/// <see cref="SqeFlags.IoLink"/>. If that operation has not completed when the relative time in the
/// <c>__kernel_timespec</c> at <paramref name="TimespecAddress"/> has passed, the kernel cancels it
/// (its completion is ECANCELED) and this request completes with ETIME; if the operation finishes
/// first, this request completes with ECANCELED.
/// </summary>
/// <param name="TimespecAddress">Native memory holding the timespec until this request's completion.</param>
public readonly record struct LinkTimeoutOperation(ulong TimespecAddress) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.LinkTimeout;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = -1;
        entry.Address = TimespecAddress;
        entry.Length = 1;
    }
}
