using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_POLL_REMOVE: removes the poll request whose user data is <paramref name="TargetUserData"/>.
/// Its own result is 0 or ENOENT (no such poll: it already completed); the removed poll posts its
/// own final completion with ECANCELED.
/// </summary>
/// <param name="TargetUserData">The user data of the poll request to remove.</param>
public readonly record struct PollRemoveOperation(ulong TargetUserData) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.PollRemove;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = -1;
        entry.Address = TargetUserData;
    }
}
