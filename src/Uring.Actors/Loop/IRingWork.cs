namespace Uring.Actors;

/// <summary>
/// Work the extension's own actors hand straight to a ring loop (<see cref="RingLoop.Post"/>)
/// instead of sending the ring owner a message: it runs on the loop's thread, with the loop's ring,
/// before the loop next submits and waits.
/// </summary>
internal interface IRingWork
{
    /// <summary>Runs on the loop's thread; prepares SQEs on <paramref name="ring"/> (the loop submits them).</summary>
    void Run(Ring ring);

    /// <summary>The loop shut down before the work could run (the actor system is stopping).</summary>
    void Abandon();
}
