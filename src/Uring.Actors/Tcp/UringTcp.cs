using System.Buffers;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Uring.Actors.Tcp;

/// <summary>
/// TCP over io_uring with Akka.IO's protocol: send the <see cref="UringTcpExtension.Manager"/> the same
/// <see cref="Akka.IO.Tcp.Bind"/> and <see cref="Akka.IO.Tcp.Connect"/> commands you would send
/// <c>Tcp.Manager</c>, and a handler written for Akka.IO runs unchanged: it gets
/// <see cref="Akka.IO.Tcp.Bound"/>, <see cref="Akka.IO.Tcp.Connected"/> (answers with
/// <see cref="Akka.IO.Tcp.Register"/>), <see cref="Akka.IO.Tcp.Received"/>, write acks, and the
/// close events, all Akka.IO's own types.
/// </summary>
public static class UringTcp
{
    /// <summary>The extension of <paramref name="system"/>, created on first use (it starts the ring owners).</summary>
    public static UringTcpExtension Get(ActorSystem system) => system.WithExtension<UringTcpExtension, UringTcpExtensionProvider>();

    /// <summary>
    /// <paramref name="props"/> on the loop of the ring <paramref name="connection"/> lives on
    /// (<c>uring.loop-dispatcher-N</c>): the handler then runs on the thread that receives and sends
    /// its connection's bytes, from its first message on. For handlers that never block.
    /// <code>
    /// var connection = Sender; // of Tcp.Connected
    /// var handler = Context.ActorOf(FactoryProps.Create(() =&gt; new MyHandler(connection)).WithLoopDispatcherOf(connection));
    /// connection.Tell(new Tcp.Register(handler));
    /// </code>
    /// </summary>
    /// <param name="props">The handler's props.</param>
    /// <param name="connection">A UringTcp connection: the sender of <see cref="Akka.IO.Tcp.Connected"/> (or of its <see cref="Akka.IO.Tcp.Received"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="connection"/> is not a UringTcp connection (for example an Akka.IO one, or the listener).</exception>
    public static Props WithLoopDispatcherOf(this Props props, IActorRef connection)
    {
        ArgumentNullException.ThrowIfNull(props);
        return props.WithDispatcher(ConnectionRef.Of(connection).Shard.LoopDispatcherId);
    }

    /// <summary>
    /// <paramref name="props"/> on <c>uring.loop-dispatcher</c>, the dispatcher that follows
    /// connections: the actor runs on the loop of the connection it registers for, from its
    /// <see cref="Akka.IO.Tcp.Register"/> on. It starts <paramref name="system"/>'s extension first if
    /// nothing has yet, because the dispatcher exists only once the extension (or <c>akka.extensions</c>,
    /// or Akka.Hosting's <c>WithUring</c>) has added the <c>uring</c> configuration: a plain
    /// <c>WithDispatcher("uring.loop-dispatcher")</c> before that fails with "not configured".
    /// For actors that never block.
    /// </summary>
    /// <param name="props">The actor's props.</param>
    /// <param name="system">The actor system whose rings the actor's connection lives on.</param>
    public static Props WithLoopDispatcher(this Props props, ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(props);
        Get(system);
        return props.WithDispatcher(UringSettings.LoopDispatcher);
    }

    /// <summary>
    /// Received data without a copy, sent to a connection's handler instead of Akka.IO's
    /// <see cref="Akka.IO.Tcp.Received"/> when <c>uring.tcp.leased-receive = on</c>: <see cref="Data"/>
    /// is the kernel's provided buffer itself (a <see cref="Uring.ReceivedLease"/>). The handler owns it
    /// and must <see cref="IDisposable.Dispose"/> it once it no longer reads the bytes — on any thread;
    /// until then the buffer is out of the connection's reach, and a connection whose handler holds
    /// all <c>receive-buffer-count</c> buffers stops reading until one comes back. Leases that reach
    /// dead letters (a handler that stopped) are disposed by the extension; a lease a live handler
    /// forgets is returned late by its finalizer and counted in <c>uring.receive.leases.leaked</c>.
    /// Chunks arrive in order, like <c>Received</c>.
    /// </summary>
    /// <param name="Data">The bytes (<see cref="IMemoryOwner{T}.Memory"/>); dispose it.</param>
    public sealed record ReceivedLease(IMemoryOwner<byte> Data) : INoSerializationVerificationNeeded;

    /// <summary>
    /// A write of memory the connection takes over: tell it to the connection like Akka.IO's
    /// <see cref="Akka.IO.Tcp.Write"/>, and the bytes of <see cref="Data"/> are sent from where they are,
    /// without a copy; <see cref="Data"/> is disposed once the kernel has taken every byte — or at once
    /// if the write is refused (<see cref="Akka.IO.Tcp.CommandFailed"/>: over the queue limit, or the
    /// connection is closing). Made for forwarding what was received without a copy: a
    /// <see cref="ReceivedLease"/>'s data written onward goes back to the kernel's receive buffers after
    /// the send, so an echo or a proxy touches its bytes only in the kernel. Until then its buffer is
    /// out of the receive's reach: a connection whose every buffer waits to be sent stops reading
    /// until a send completes — the write queue is its backpressure, never more memory.
    /// <para>Do not touch <see cref="Data"/> after telling it; the memory must not move (a lease's
    /// native buffer, or memory from a <see cref="MemoryPool{T}"/>, never does).</para>
    /// </summary>
    public sealed class WriteOwned : Akka.IO.Tcp.SimpleWriteCommand, INoSerializationVerificationNeeded
    {
        /// <summary>A write of <paramref name="data"/>, acknowledged with <paramref name="ack"/> once its last byte was sent.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        public WriteOwned(IMemoryOwner<byte> data, Akka.IO.Tcp.Event? ack = null)
        {
            ArgumentNullException.ThrowIfNull(data);
            Data = data;
            Ack = ack ?? Akka.IO.Tcp.NoAck.Instance;
        }

        /// <summary>The bytes (<see cref="IMemoryOwner{T}.Memory"/>), owned by the connection from now on.</summary>
        public IMemoryOwner<byte> Data { get; }

        /// <summary>What the writer hears once the last byte was sent (<see cref="Akka.IO.Tcp.NoAck"/> for nothing).</summary>
        public override Akka.IO.Tcp.Event Ack { get; }

        /// <summary>The number of bytes.</summary>
        public override long Bytes => Data.Memory.Length;
    }
}

/// <summary>Creates the <see cref="UringTcpExtension"/> once per actor system.</summary>
public sealed class UringTcpExtensionProvider : ExtensionIdProvider<UringTcpExtension>
{
    /// <inheritdoc />
    public override UringTcpExtension CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>
/// One actor system's io_uring service: <c>uring.ring.count</c> rings, each with its own owner (a
/// system actor on its own loop thread, <c>uring-ring-N</c>, stopped after the user's actors), and
/// the TCP manager, which places each connection on the ring with the fewest.
/// </summary>
public sealed class UringTcpExtension : IExtension
{
    /// <summary>Reads the <c>uring</c> configuration and starts the ring owners and the TCP manager.</summary>
    public UringTcpExtension(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        system.Settings.InjectTopLevelFallback(UringSettings.DefaultConfig);
        Settings = UringSettings.From(system.Settings.Config);
        StartScheduler(system);
        Rings = new RingShards(Settings.RingCount);
        RegisterDispatchers(system);
        foreach (var shard in Rings)
        {
            shard.Owner = system.SystemActorOf(RingOwnerActor.Props(Settings, shard), $"uring-ring-{shard.Index}");
        }

        RingOwners = [.. Rings.Select(shard => shard.Owner)];
        Manager = system.SystemActorOf(FactoryProps.Create(() => new TcpManagerActor(Rings, Settings, IsInfrastructure)), "uring-tcp");
        var reclaimer = system.SystemActorOf(FactoryProps.Create(() => new LeaseReclaimer()), "uring-lease-reclaimer");
        system.EventStream.Subscribe(reclaimer, typeof(AllDeadLetters));
        system.Log.Info("Uring: {0} ring{1} ({2} CPUs may run this process); uring settings in effect: {3}", Settings.RingCount, Settings.RingCount == 1 ? string.Empty : "s", Environment.ProcessorCount, Settings);
        foreach (var (key, nearest) in UnknownSettings.In(system.Settings.Config))
        {
            system.Log.Warning("Unknown setting {0} is ignored: no uring setting has that name. Did you mean {1}?", key, nearest);
        }

        // Stop accepting first, then close every connection gracefully (writes flushed, FIN); the
        // ring owners, system actors, stop last — each cancelling and draining what is left of its
        // ring, on its own loop thread, before it frees the ring.
        var manager = Manager;
        var shutdown = CoordinatedShutdown.Get(system);
        var phaseTimeout = Settings.DrainTimeout + TimeSpan.FromSeconds(5);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "uring-unbind", () => manager.Ask<Done>(UnbindAll.Instance, phaseTimeout));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "uring-close-connections", () => manager.Ask<Done>(CloseAll.Instance, phaseTimeout));
    }

    /// <summary>The settings in effect.</summary>
    public UringSettings Settings { get; }

    /// <summary>
    /// Ring 0's owner: send it <see cref="Protocol.RingProtocol.Submit"/> for any ring operation
    /// (what <c>IRequiredActor&lt;RingOwnerActor&gt;</c> resolves to). Any ring's owner takes the same
    /// commands: see <see cref="RingOwners"/> and <see cref="RingOwnerOf"/>.
    /// </summary>
    public IActorRef RingOwner => RingOwners[0];

    /// <summary>Every ring's owner, by ring index (<c>uring.ring.count</c> of them).</summary>
    public IReadOnlyList<IActorRef> RingOwners { get; }

    /// <summary>The TCP manager: send it Akka.IO's <c>Bind</c> and <c>Connect</c>.</summary>
    public IActorRef Manager { get; }

    /// <summary>The extension's rings.</summary>
    internal RingShards Rings { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IActorRef, byte> _infrastructure = new();

    /// <summary>
    /// Binds and connects commanded by <paramref name="commander"/> (the bind handler, or the
    /// sender of Connect) are infrastructure: coordinated shutdown's service-unbind and service-stop
    /// phases leave them open, for their owner (the Akka.Remote transport) to close.
    /// </summary>
    internal void ExcludeFromServiceShutdown(IActorRef commander) => _infrastructure.TryAdd(commander, 0);

    private bool IsInfrastructure(IActorRef commander) => _infrastructure.ContainsKey(commander);

    /// <summary>
    /// The index of the ring <paramref name="connection"/> lives on: its receives, sends and timers
    /// run there, and <see cref="RingOwners"/>[index] takes submissions for its descriptor on the
    /// same loop.
    /// </summary>
    /// <param name="connection">A UringTcp connection: the sender of <see cref="Akka.IO.Tcp.Connected"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connection"/> is not a UringTcp connection of this actor system.</exception>
    public int RingOf(IActorRef connection) => ShardOf(connection).Index;

    /// <summary>The owner of the ring <paramref name="connection"/> lives on (see <see cref="RingOf"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="connection"/> is not a UringTcp connection of this actor system.</exception>
    public IActorRef RingOwnerOf(IActorRef connection) => ShardOf(connection).Owner;

    private RingShard ShardOf(IActorRef connection, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(connection))] string? parameterName = null)
    {
        var shard = ConnectionRef.Of(connection, parameterName).Shard;
        return Rings.Contains(shard) ? shard : throw new ArgumentException($"{connection.Path} is a UringTcp connection of another actor system.", parameterName);
    }

    /// <summary>
    /// Starts Akka's scheduler now. It starts on first use, on a thread-pool task, and every caller
    /// blocks until that task runs: when the first timers come in a burst — handlers of a burst of
    /// new connections each setting a receive timeout — the blocked callers can hold every pool
    /// thread, and the connections stall for the seconds the pool takes to grow (measured: 200
    /// connections stalled 40–60 s). The ring loops keep Akka from starting it early (their anchors
    /// keep the dispatchers from emptying, which would schedule their shutdown), so start it here,
    /// once, for the price of its 10 ms tick.
    /// </summary>
    private static void StartScheduler(ExtendedActorSystem system) => system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });

    /// <summary>
    /// Registers each ring's two dispatchers: its owner's (on the ring's loop thread, <c>uring-ring-N</c>)
    /// and its loop's (<c>uring.loop-dispatcher-N</c>), each configured like the <c>uring</c> section
    /// it comes from.
    /// </summary>
    private void RegisterDispatchers(ExtendedActorSystem system)
    {
        var dispatchers = system.Dispatchers;
        var owners = system.Settings.Config.GetConfig(UringSettings.OwnerDispatcher);
        var loops = system.Settings.Config.GetConfig(UringSettings.LoopDispatcher);
        foreach (var shard in Rings)
        {
            var ownerSection = Section(shard.OwnerDispatcherId, owners, dispatchers);
            dispatchers.RegisterConfigurator(shard.OwnerDispatcherId, new RingLoopDispatcherConfigurator(ownerSection, dispatchers.Prerequisites, shard.Loop));
            var loopSection = Section(shard.LoopDispatcherId, loops, dispatchers);
            dispatchers.RegisterConfigurator(shard.LoopDispatcherId, new RingLoopSharingDispatcherConfigurator(loopSection, dispatchers.Prerequisites, shard));
        }
    }

    private static Config Section(string id, Config section, Dispatchers dispatchers) =>
        ConfigurationFactory.ParseString($"id = \"{id}\"").WithFallback(section).WithFallback(dispatchers.DefaultDispatcherConfig);
}
