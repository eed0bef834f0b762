using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;

namespace Uring.Actors;

/// <summary>
/// Which ring loop each actor on <c>uring.loop-dispatcher</c> runs on. An actor starts on the loop of
/// the ring thread that created it (a child of an actor on a ring's loop stays on that loop), or on
/// ring 0's when another thread created it; when a UringTcp connection takes it as its handler
/// (<see cref="Akka.IO.Tcp.Register"/>), it moves to that connection's loop for good, so its
/// <see cref="Akka.IO.Tcp.Received"/> and its writes never cross threads.
/// <para>Moving is safe at any time: Akka schedules an actor's mailbox on one thread at a time,
/// and the next schedule after the move goes to the new loop. The table is keyed by mailbox and
/// read each time a mailbox is scheduled; it is written once per actor and once per
/// registration.</para>
/// </summary>
internal sealed class LoopAffinity(RingShards shards)
{
    private readonly ConditionalWeakTable<Mailbox, Pin> _pins = [];

    /// <summary>The loop <paramref name="run"/> (a mailbox, or other work of the dispatcher) runs on.</summary>
    internal RingLoop LoopOf(IRunnable run)
    {
        if (run is not Mailbox mailbox)
        {
            return DefaultLoop();
        }

        return _pins.TryGetValue(mailbox, out var pin) ? pin.Loop : _pins.GetValue(mailbox, _ => new Pin(DefaultLoop())).Loop;
    }

    /// <summary>
    /// <paramref name="handler"/> now handles a connection on <paramref name="loop"/>: if it is a
    /// local actor on <c>uring.loop-dispatcher</c>, it runs there from its next message on.
    /// </summary>
    internal void Follow(IActorRef handler, RingLoop loop)
    {
        if (handler is ActorRefWithCell { Underlying: ActorCell { Dispatcher.Configurator: RingLoopSharingDispatcherConfigurator { FollowsConnections: true }, Mailbox: { } mailbox } })
        {
            _pins.AddOrUpdate(mailbox, new Pin(loop));
        }
    }

    /// <summary>The calling ring thread's loop when it is one of ours, else ring 0's.</summary>
    private RingLoop DefaultLoop() =>
        RingLoop.Current is { } current && shards.Of(current) is not null ? current : shards[0].Loop;

    private sealed class Pin(RingLoop loop)
    {
        internal RingLoop Loop { get; } = loop;
    }
}
