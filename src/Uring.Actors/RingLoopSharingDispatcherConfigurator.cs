using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Uring.Actors.Tcp;

namespace Uring.Actors;

/// <summary>
/// The dispatcher of <c>uring.loop-dispatcher</c>: actors deployed on it run on the ring owner's
/// loop thread itself, between the loop's turns at the ring — the thread that hands them their
/// <see cref="Akka.IO.Tcp.Received"/> and sends their writes. A request then never leaves one
/// thread: no thread-pool worker is woken for the handler, and the loop is not woken for its write.
/// Only for actors that never block: while one runs, no completion of any connection is reaped.
/// The dispatcher comes with the <c>uring</c> configuration, which the UringTcp extension adds to the
/// actor system: create the extension first (<c>UringTcp.Get(system)</c>, or <c>WithUring</c> in
/// Akka.Hosting). Named in HOCON as <c>type = "Uring.Actors.RingLoopSharingDispatcherConfigurator, Uring.Actors"</c>.
/// </summary>
public sealed class RingLoopSharingDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _dispatcher;

    /// <summary>Called by Akka with the dispatcher's configuration section.</summary>
    /// <param name="config">The section (<c>throughput</c>, <c>throughput-deadline-time</c>, <c>shutdown-timeout</c>).</param>
    /// <param name="prerequisites">The actor system's dispatcher services.</param>
    public RingLoopSharingDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        ArgumentNullException.ThrowIfNull(prerequisites);
        _dispatcher = new Dispatcher(
            this,
            Config.GetString("id", null),
            Config.GetInt("throughput", 30),
            RingLoopDispatcherConfigurator.ThroughputDeadline(Config),
            new OwnersLoopFactory(prerequisites.Settings.System),
            Config.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(1)));
    }

    /// <summary>The one dispatcher: every actor on it shares the owner's loop.</summary>
    public override MessageDispatcher Dispatcher() => _dispatcher;

    private sealed class OwnersLoopFactory(ActorSystem system) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new OnOwnersLoop(id, system);
    }

    /// <summary>Runs each mailbox on the loop of the system's UringTcp ring owner (the loop stays the same across the owner's restarts).</summary>
    private sealed class OnOwnersLoop(string id, ActorSystem system) : ExecutorService(id)
    {
        private static readonly TimeSpan OwnerStartTimeout = TimeSpan.FromSeconds(10);
        private RingLoop? _loop;

        public override void Execute(IRunnable run) =>
            (_loop ??= UringTcp.Get(system).Loop.WaitForLoop(OwnerStartTimeout)).Execute(run);

        public override void Shutdown()
        {
            // The loop belongs to the ring owner, which stops it.
        }
    }
}
