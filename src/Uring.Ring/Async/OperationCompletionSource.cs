using System.Threading.Tasks.Sources;

namespace Uring;

/// <summary>
/// The awaitable behind an async ring operation: a pooled <see cref="IValueTaskSource{TResult}"/>,
/// so awaiting an operation allocates no <see cref="Task"/>. Completed by whichever thread reaps the
/// operation's final completion; the continuation runs on the thread pool unless the ring was created
/// with <see cref="RingOptions.InlineContinuations"/>.
/// Returned to its ring's pool once the awaiter has read the result.
/// </summary>
internal sealed class OperationCompletionSource : IValueTaskSource<Completion>
{
    private readonly Ring _ring;
    private ManualResetValueTaskSourceCore<Completion> _core;
    private CancellationTokenRegistration _registration;
    private CancellationToken _cancellation;

    internal OperationCompletionSource(Ring ring, bool inlineContinuations)
    {
        _ring = ring;
        _core.RunContinuationsAsynchronously = !inlineContinuations;
    }

    internal ValueTask<Completion> Task => new(this, _core.Version);

    /// <summary>Asks the ring to cancel operation <paramref name="operationToken"/> when <paramref name="cancellation"/> fires.</summary>
    internal void CancelOn(ulong operationToken, CancellationToken cancellation)
    {
        _cancellation = cancellation;
        _registration = CancelTarget.Register(_ring, operationToken, cancellation);
    }

    internal void Complete(in Completion completion) => _core.SetResult(completion);

    /// <summary>The completion; throws <see cref="OperationCanceledException"/> when the token cancelled the operation.</summary>
    public Completion GetResult(short token)
    {
        var completion = _core.GetResult(token);
        var cancellation = _cancellation;
        _registration.Unregister();
        _registration = default;
        _cancellation = default;
        _core.Reset();
        _ring.ReturnAwaiter(this);
        if (completion.Error == Errno.ECANCELED && cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellation);
        }

        return completion;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

}
