namespace Uring;

/// <summary>A completion callback threw while a worker served completions; the worker group stops.</summary>
public sealed class CallbackFailedEventArgs : EventArgs
{
    internal CallbackFailedEventArgs(Completion completion, Exception exception)
    {
        Completion = completion;
        Exception = exception;
    }

    /// <summary>The completion the callback was handling.</summary>
    public Completion Completion { get; }

    /// <summary>What the callback threw.</summary>
    public Exception Exception { get; }
}
