using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;

namespace Uring.Actors;

/// <summary>
/// One of the UringTcp extension's rings, and what lives on it: its loop thread (<c>uring-ring-N</c>,
/// started with the extension, so work can be handed to it before the owner has made the ring),
/// its owner actor on that thread, the dispatcher ids of the loop, and the connections placed on it. A connection is placed on one shard when it is
/// accepted or connects and stays there for life: every operation it submits goes to this shard's
/// owner, every send it makes runs on this shard's loop.
/// <para>Nothing here is touched per request. The placement count changes when a connection is
/// placed and when it stops; the residents (actors whose operations live on the ring) are added
/// and removed at the same moments.</para>
/// </summary>
internal sealed class RingShard
{
    private readonly ConcurrentDictionary<IActorRef, byte> _residents = new();
    private int _connections;

    /// <summary>Ring <paramref name="index"/> of the extension, whose handlers on <c>uring.loop-dispatcher</c> follow <paramref name="affinity"/>.</summary>
    internal RingShard(int index, LoopAffinity affinity)
    {
        Index = index;
        Affinity = affinity;
        Name = index.ToString(CultureInfo.InvariantCulture);
        MetricTag = UringMetrics.RingTag(Name);
        LoopDispatcherId = UringSettings.LoopDispatcherOf(index);
        OwnerDispatcherId = UringSettings.OwnerDispatcherOf(index);
        Loop = new RingLoop(OwnerDispatcherId, $"uring-ring-{index}");
    }

    /// <summary>Where the extension's actors on <c>uring.loop-dispatcher</c> run (shared by every ring; written once per handler).</summary>
    internal LoopAffinity Affinity { get; }

    /// <summary>The ring's index, from 0.</summary>
    internal int Index { get; }

    /// <summary>The index as text: the ring's name in logs and metrics (the <c>ring</c> tag).</summary>
    internal string Name { get; }

    /// <summary>The <c>ring</c> tag of this ring's measurements.</summary>
    internal KeyValuePair<string, object?> MetricTag { get; }

    /// <summary>The id of the dispatcher whose actors run on this ring's loop (<c>uring.loop-dispatcher-N</c>).</summary>
    internal string LoopDispatcherId { get; }

    /// <summary>The id of the owner's dispatcher: the loop thread itself (<c>uring.owner-dispatcher-N</c>).</summary>
    internal string OwnerDispatcherId { get; }

    /// <summary>The ring's owner; set once, when the extension starts.</summary>
    internal IActorRef Owner { get; set; } = ActorRefs.Nobody;

    /// <summary>
    /// The ring's loop: the owner's dispatcher runs on it, and so do the actors on its loop
    /// dispatcher. It lives from the extension's start until the owner stops for good (a restart
    /// keeps it); work posted to it before the owner attached its ring waits for the ring.
    /// </summary>
    internal RingLoop Loop { get; }

    /// <summary>Connections placed on this ring that have not stopped yet (what placement compares).</summary>
    internal int Connections => Volatile.Read(ref _connections);

    /// <summary>Actors with operations on this ring that must hear when it restarts without their final completions.</summary>
    internal ICollection<IActorRef> Residents => _residents.Keys;

    /// <summary>A connection was placed here (before its actor starts, so that the next placement sees it).</summary>
    internal void Place() => Interlocked.Increment(ref _connections);

    /// <summary>A connection placed here stopped.</summary>
    internal void Vacate() => Interlocked.Decrement(ref _connections);

    /// <summary><paramref name="resident"/> keeps operations on this ring until <see cref="Depart"/>.</summary>
    internal void Settle(IActorRef resident) => _residents.TryAdd(resident, 0);

    /// <summary><paramref name="resident"/> has no operations on this ring any more.</summary>
    internal void Depart(IActorRef resident) => _residents.TryRemove(resident, out _);
}

/// <summary>
/// The ring an actor's operations lived on restarted (its loop failed) before their final
/// completions could be delivered: they are gone. Told to the ring's residents; a connection closes
/// (its handler gets <see cref="Akka.IO.Tcp.ErrorClosed"/>), a listener accepts again on the new ring.
/// </summary>
/// <param name="Ring">The ring that was replaced (disposed); operations of any other ring are unaffected.</param>
internal sealed record RingRestarted(Ring Ring);
