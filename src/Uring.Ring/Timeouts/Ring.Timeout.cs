using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// A timer in the ring (<c>IORING_OP_TIMEOUT</c>): its completion, of kind
    /// <see cref="CompletionKind.Timeout"/>, arrives once <paramref name="after"/> has passed, with
    /// <see cref="Errno.ETIME"/> — a timer's normal end, so check <see cref="Completion.Error"/>, not
    /// <see cref="Completion.IsSuccess"/> — or with ECANCELED when cancelled first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitTimeout(TimeSpan after, object? userData = null) =>
        Submit(CompletionKind.Timeout, userData, RequireDuration(after), PrepareTimeout);

    /// <summary>Waits <paramref name="after"/> in the ring; the async form of <see cref="SubmitTimeout"/> (completes with ETIME).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the timer (after the kernel confirmed it).</exception>
    public ValueTask<Completion> TimeoutAsync(TimeSpan after, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Timeout, RequireDuration(after), PrepareTimeout, cancellationToken);

    private static TimeSpan RequireDuration(TimeSpan after, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(after))] string? parameterName = null)
    {
        if (after < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, after, "A timeout cannot be negative; pass TimeSpan.Zero for one that expires at once.");
        }

        return after;
    }

    private static TimeoutOperation PrepareTimeout(OperationSlot slot, in TimeSpan after) =>
        new(slot.Scratch.PrepareTimespec(after), Count: 0);
}
