using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Uring.Actors.Tcp;

namespace Uring.Actors;

/// <summary>
/// The dispatcher of <c>uring.loop-dispatcher</c> (and of each ring's <c>uring.loop-dispatcher-N</c>):
/// actors deployed on it run on a ring owner's loop thread itself, between the loop's turns at the
/// ring — the thread that hands them their <see cref="Akka.IO.Tcp.Received"/> and sends their
/// writes. A request then never leaves one thread: no thread-pool worker is woken for the handler,
/// and the loop is not woken for its write. Only for actors that never block: while one runs, no
/// completion of any connection of that ring is reaped.
/// <para><c>uring.loop-dispatcher</c> follows connections: an actor on it runs on the loop of the
/// connection it handles, from its <see cref="Akka.IO.Tcp.Register"/> on (<see cref="LoopAffinity"/>).
/// <c>uring.loop-dispatcher-N</c>, which the extension registers for ring N when it starts, always
/// runs on ring N's loop; <see cref="UringTcp.WithLoopDispatcherOf"/> picks the one of a connection.</para>
/// <para>The dispatcher comes with the <c>uring</c> configuration, which the UringTcp extension adds to the
/// actor system: create the extension first (<c>UringTcp.Get(system)</c>, or <c>WithUring</c> in
/// Akka.Hosting). Named in HOCON as <c>type = "Uring.Actors.RingLoopSharingDispatcherConfigurator, Uring.Actors"</c>.</para>
/// </summary>
public sealed class RingLoopSharingDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _dispatcher;

    /// <summary>Called by Akka with the dispatcher's configuration section: the dispatcher that follows connections.</summary>
    /// <param name="config">The section (<c>throughput</c>, <c>throughput-deadline-time</c>, <c>shutdown-timeout</c>).</param>
    /// <param name="prerequisites">The actor system's dispatcher services.</param>
    public RingLoopSharingDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : this(config, prerequisites, null)
    {
    }

    /// <summary>The dispatcher of one ring's loop (<paramref name="ring"/>), or, when null, the one that follows connections.</summary>
    internal RingLoopSharingDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, RingShard? ring)
        : base(config, prerequisites)
    {
        ArgumentNullException.ThrowIfNull(prerequisites);
        FollowsConnections = ring is null;
        ExecutorServiceFactory loops = ring is null ? new FollowingLoopsFactory(prerequisites.Settings.System) : new OneLoopFactory(ring);
        _dispatcher = new Dispatcher(
            this,
            Config.GetString("id", null),
            Config.GetInt("throughput", 30),
            RingLoopDispatcherConfigurator.ThroughputDeadline(Config),
            loops,
            Config.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(1)));
    }

    /// <summary>True for <c>uring.loop-dispatcher</c>, whose actors move to their connection's loop.</summary>
    internal bool FollowsConnections { get; }

    /// <summary>The one dispatcher: every actor on it shares the loops it names.</summary>
    public override MessageDispatcher Dispatcher() => _dispatcher;

    private sealed class FollowingLoopsFactory(ActorSystem system) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new OnFollowedLoop(id, system);
    }

    private sealed class OneLoopFactory(RingShard ring) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new OnOneLoop(id, ring);
    }

    /// <summary>Runs each mailbox on the loop its actor follows (<see cref="LoopAffinity"/>).</summary>
    private sealed class OnFollowedLoop(string id, ActorSystem system) : ExecutorService(id)
    {
        private LoopAffinity? _affinity;

        public override void Execute(IRunnable run) => (_affinity ??= UringTcp.Get(system).Rings.Affinity).LoopOf(run).Execute(run);

        public override void Shutdown()
        {
            // The loops belong to the ring owners, which stop them.
        }
    }

    /// <summary>Runs each mailbox on one ring's loop (the loop stays the same across the owner's restarts).</summary>
    private sealed class OnOneLoop(string id, RingShard ring) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => ring.Loop.Execute(run);

        public override void Shutdown()
        {
            // The loop belongs to the ring owner, which stops it.
        }
    }
}
