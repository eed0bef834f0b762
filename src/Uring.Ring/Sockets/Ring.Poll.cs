using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    private const PollEvents KnownPollEvents = PollEvents.In | PollEvents.Priority | PollEvents.Out | PollEvents.Error | PollEvents.HangUp | PollEvents.Invalid | PollEvents.ReadHangUp;

    /// <summary>
    /// Waits until <paramref name="fd"/> has any of <paramref name="events"/> (<c>IORING_OP_POLL_ADD</c>);
    /// the completion's <see cref="Completion.Events"/> are the ready ones. Errors and hang-ups are
    /// always reported. Cancel it with <see cref="SubmitCancel"/> or <see cref="SubmitPollRemove"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="events"/> is empty or has bits that are not <see cref="PollEvents"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw descriptor.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitPoll(FileDescriptor fd, PollEvents events, object? userData = null) =>
        Submit(CompletionKind.Poll, userData, (fd, RequireEvents(events)), PreparePoll);

    /// <summary>
    /// Keeps polling <paramref name="fd"/> (<c>IORING_POLL_ADD_MULTI</c>, 5.13): one completion per
    /// wake-up with <see cref="Completion.HasMore"/>, numbered by <see cref="Completion.Sequence"/>,
    /// until it is removed or cancelled (final completion: ECANCELED) or the kernel ends it (a
    /// final completion without <see cref="Completion.HasMore"/>; poll again to continue).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="events"/> is empty or has bits that are not <see cref="PollEvents"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw descriptor.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitPollMultishot(FileDescriptor fd, PollEvents events, object? userData = null) =>
        Submit(CompletionKind.PollMultishot, userData, (fd, RequireEvents(events)), PreparePollMultishot);

    /// <summary>
    /// Removes a poll (<c>IORING_OP_POLL_REMOVE</c>). The poll posts its own final completion
    /// (ECANCELED); this request's completion, of kind <see cref="CompletionKind.PollRemove"/>, has
    /// res 0, or ENOENT when the poll had already completed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="poll"/> is default, belongs to another ring, or is not a poll.</exception>
    public OperationHandle SubmitPollRemove(OperationHandle poll, object? userData = null)
    {
        RequirePoll(poll);
        return Submit(CompletionKind.PollRemove, userData, poll.Token, static (OperationSlot _, in ulong target) => new PollRemoveOperation(target));
    }

    /// <summary>Waits for events on <paramref name="fd"/>; the async form of <see cref="SubmitPoll"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the poll (after the kernel confirmed it).</exception>
    public ValueTask<Completion> PollAsync(FileDescriptor fd, PollEvents events, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Poll, (fd, RequireEvents(events)), PreparePoll, cancellationToken);

    /// <summary>
    /// Keeps polling, as an async stream of completions (see <see cref="SubmitPollMultishot"/>); the
    /// stream re-arms the poll when the kernel ends it without an error. Cancelling or leaving the
    /// loop removes the poll and waits for its final completion.
    /// </summary>
    public IAsyncEnumerable<Completion> PollMultishotAsync(FileDescriptor fd, PollEvents events, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.PollMultishot, (fd, RequireEvents(events)), PreparePollMultishot, static leg => leg.IsSuccess, cancellationToken);

    private static PollEvents RequireEvents(PollEvents events)
    {
        if (events == PollEvents.None || (events & ~KnownPollEvents) != 0)
        {
            throw new ArgumentException($"Poll for one or more PollEvents (In, Out, Priority, ReadHangUp…); got {events}.", nameof(events));
        }

        return events;
    }

    private static PollAddOperation PreparePoll(OperationSlot slot, in (FileDescriptor Fd, PollEvents Events) a) =>
        new(slot.Reference(a.Fd, "fd"), (uint)a.Events, Multishot: false);

    private static PollAddOperation PreparePollMultishot(OperationSlot slot, in (FileDescriptor Fd, PollEvents Events) a) =>
        new(slot.Reference(a.Fd, "fd"), (uint)a.Events, Multishot: true);

    /// <summary>Refuses a handle that is not one of this ring's polls, naming the argument.</summary>
    private void RequirePoll(OperationHandle poll, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(poll))] string? parameterName = null)
    {
        RequireOwnHandle(poll, parameterName);
        if (poll.Kind is not (CompletionKind.Poll or CompletionKind.PollMultishot))
        {
            throw new ArgumentException($"The handle is a {poll.Kind} operation, not a poll; cancel it with SubmitCancel.", parameterName);
        }
    }
}
