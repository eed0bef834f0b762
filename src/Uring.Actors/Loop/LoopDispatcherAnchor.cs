using Akka.Actor;

namespace Uring.Actors;

/// <summary>
/// An actor that does nothing, deployed on a loop dispatcher (<c>uring.loop-dispatcher-N</c>, and
/// <c>uring.loop-dispatcher</c>) for as long as the ring owner lives, so that dispatcher always has an inhabitant. Akka schedules a dispatcher's shutdown
/// on its scheduler whenever the dispatcher's last actor leaves — here, whenever the last connection
/// handler on the loop stops — and shuts its executor down if it is still empty then, to start it
/// again for the next handler. With the anchor, the loop dispatcher never empties, and a quiet
/// moment between connections costs nothing. (The scheduler itself runs anyway: the extension
/// starts it, see <c>UringTcpExtension.StartScheduler</c>.)
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
