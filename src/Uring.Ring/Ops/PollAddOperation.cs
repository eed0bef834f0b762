using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_POLL_ADD: completes when <paramref name="Fd"/> has any of <paramref name="Events"/>;
/// the result is the ready event mask. <paramref name="Multishot"/> (5.13) keeps it armed, posting a
/// completion per wake-up with <c>IORING_CQE_F_MORE</c>.
/// </summary>
/// <param name="Fd">The descriptor to watch.</param>
/// <param name="Events">POLL* event mask.</param>
/// <param name="Multishot">Keep the poll armed after each event.</param>
public readonly record struct PollAddOperation(int Fd, uint Events, bool Multishot) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.PollAdd;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.OpFlags = Events;
        entry.Length = Multishot ? KernelConstants.PollAddMulti : 0;
    }
}
