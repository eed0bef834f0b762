namespace Uring;

/// <summary>
/// Backpressure, not a broken ring: the ring cannot take another operation right now, either because
/// the submission queue had no free entry even after flushing the prepared work to the kernel, or
/// because <see cref="RingOptions.MaxInFlight"/> operations are already in flight. Reap completions
/// (<see cref="Ring.Wait"/>), then retry, or defer the submission. Nothing was submitted.
/// </summary>
public sealed class SubmissionQueueFullException : UringException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SubmissionQueueFullException()
        : base("The ring cannot take another operation now; reap completions and retry.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SubmissionQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SubmissionQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SubmissionQueueFullException(string message, bool inFlightLimitReached)
        : base(message) => InFlightLimitReached = inFlightLimitReached;

    /// <summary>True when the in-flight limit, not the submission queue, refused the operation.</summary>
    public bool InFlightLimitReached { get; }
}
