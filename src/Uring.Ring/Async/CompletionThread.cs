namespace Uring;

/// <summary>
/// A dedicated, long-lived thread that serves a ring's completions (as a <see cref="Ring.ServeCompletions"/>
/// worker) and also submits the async operations other threads start. The kernel cancels a request
/// when the thread that submitted it exits, and thread-pool threads come and go: routing async
/// submissions through this thread keeps them alive. Start it with <see cref="Ring.StartCompletionThread"/>;
/// dispose it (before the ring) to stop it.
/// </summary>
public sealed class CompletionThread : IDisposable
{
    private readonly Ring _ring;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private int _disposed;

    internal CompletionThread(Ring ring)
    {
        _ring = ring;
        _thread = new Thread(Run) { IsBackground = true, Name = $"uring-completions-{ring.Fd}" };
        _thread.Start();
        _started.Wait();
    }

    /// <summary>The managed id of the thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Stops serving, waits for the thread to finish the completion it holds, and fails async operations it had not yet submitted with <see cref="Errno.ECANCELED"/>.</summary>
    /// <exception cref="InvalidOperationException">Called on the completion thread itself (from a continuation run inline there), which cannot wait for itself.</exception>
    public void Dispose()
    {
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
        {
            throw new InvalidOperationException("A CompletionThread cannot be disposed on itself; with RingOptions.InlineContinuations, move off it first (await Task.Yield()).");
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ring.StopServing();
        _thread.Join();
        _ring.CompletionThreadStopped();
        _started.Dispose();
    }

    private void Run() => _ring.RunCompletionThread(_started);
}
