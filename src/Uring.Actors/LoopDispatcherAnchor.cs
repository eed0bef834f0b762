using Akka.Actor;

namespace Uring.Actors;

/// <summary>
/// An actor that does nothing, deployed on a loop dispatcher (<c>uring.loop-dispatcher-N</c>, and
/// <c>uring.loop-dispatcher</c>) for as long as the ring owner lives, so that dispatcher always has an inhabitant. Akka schedules a dispatcher's shutdown
/// on its scheduler whenever the dispatcher's last actor leaves — here, whenever the last connection
/// handler on the loop stops — and Akka's scheduler, once started, wakes every tick (10 ms) for
/// the rest of the process: 2.9 % of a CPU on an otherwise idle service. With the anchor, the loop
/// dispatcher never empties, and nothing of ours starts the scheduler.
/// </summary>
internal sealed class LoopDispatcherAnchor : UntypedActor
{
    /// <summary>Its name under the ring owner, on the ring's own loop dispatcher.</summary>
    internal const string Name = "loop-dispatcher-anchor";

    /// <summary>Its name under ring 0's owner, on <c>uring.loop-dispatcher</c> (the one that follows connections).</summary>
    internal const string FollowingName = "following-loop-dispatcher-anchor";

    /// <summary>Props without a dispatcher: the owner picks the one to anchor.</summary>
    internal static Props Props { get; } = FactoryProps.Create(() => new LoopDispatcherAnchor());

    /// <inheritdoc />
    protected override void OnReceive(object message) => Unhandled(message);
}
