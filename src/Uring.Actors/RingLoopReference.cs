namespace Uring.Actors;

/// <summary>
/// Where one ring owner's loop is, once the owner has started (it sets it from <c>PreStart</c>):
/// lets the extension's connections post work to that loop (<see cref="RingLoop.Post"/>) without a
/// message. The loop belongs to the owner's dispatcher, so it stays the same across the owner's restarts.
/// </summary>
internal sealed class RingLoopReference
{
    private volatile RingLoop? _loop;

    /// <summary>The owner's loop.</summary>
    /// <exception cref="InvalidOperationException">The owner has not started yet.</exception>
    internal RingLoop Loop => _loop ?? throw new InvalidOperationException("The ring owner has not started its ring loop yet.");

    /// <summary>
    /// The owner's loop, waiting up to <paramref name="timeout"/> for the owner to start (it starts
    /// asynchronously after the extension is created).
    /// </summary>
    /// <exception cref="Akka.Dispatch.RejectedExecutionException">The owner did not start in time.</exception>
    internal RingLoop WaitForLoop(TimeSpan timeout)
    {
        if (_loop is null && !SpinWait.SpinUntil(() => _loop is not null, timeout))
        {
            throw new Akka.Dispatch.RejectedExecutionException(
                $"The ring owner did not start within {timeout.TotalSeconds:0.#} s, so actors on uring.loop-dispatcher have no loop to run on; the owner's log says why (e.g. io_uring unavailable).");
        }

        return _loop!;
    }

    /// <summary>Called by the owner on its loop's thread.</summary>
    internal void Set(RingLoop loop) => _loop = loop;
}
