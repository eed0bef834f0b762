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

    /// <summary>Called by the owner on its loop's thread.</summary>
    internal void Set(RingLoop loop) => _loop = loop;
}
