using System.Buffers;
using Akka;
using Akka.Actor;
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
    /// <summary>The extension of <paramref name="system"/>, created on first use (it starts the ring owner).</summary>
    public static UringTcpExtension Get(ActorSystem system) => system.WithExtension<UringTcpExtension, UringTcpExtensionProvider>();

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
}

/// <summary>Creates the <see cref="UringTcpExtension"/> once per actor system.</summary>
public sealed class UringTcpExtensionProvider : ExtensionIdProvider<UringTcpExtension>
{
    /// <inheritdoc />
    public override UringTcpExtension CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>
/// One actor system's io_uring service: the ring owner (a system actor, stopped after the user's
/// actors) and the TCP manager.
/// </summary>
public sealed class UringTcpExtension : IExtension
{
    /// <summary>Reads the <c>uring</c> configuration and starts the ring owner and the TCP manager.</summary>
    public UringTcpExtension(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        system.Settings.InjectTopLevelFallback(UringSettings.DefaultConfig);
        Settings = UringSettings.From(system.Settings.Config);
        RingOwner = system.SystemActorOf(RingOwnerActor.Props(Settings, Loop), "uring-ring");
        Manager = system.SystemActorOf(FactoryProps.Create(() => new TcpManagerActor(RingOwner, Loop, Settings)), "uring-tcp");
        var reclaimer = system.SystemActorOf(FactoryProps.Create(() => new LeaseReclaimer()), "uring-lease-reclaimer");
        system.EventStream.Subscribe(reclaimer, typeof(AllDeadLetters));

        // Stop accepting first, then close every connection gracefully (writes flushed, FIN); the
        // ring owner, a system actor, stops last — cancelling and draining what is left before it
        // frees the ring.
        var manager = Manager;
        var shutdown = CoordinatedShutdown.Get(system);
        var phaseTimeout = Settings.DrainTimeout + TimeSpan.FromSeconds(5);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "uring-unbind", () => manager.Ask<Done>(UnbindAll.Instance, phaseTimeout));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "uring-close-connections", () => manager.Ask<Done>(CloseAll.Instance, phaseTimeout));
    }

    /// <summary>The settings in effect.</summary>
    public UringSettings Settings { get; }

    /// <summary>The ring owner: send it <see cref="Protocol.RingProtocol.Submit"/> for any ring operation.</summary>
    public IActorRef RingOwner { get; }

    /// <summary>The TCP manager: send it Akka.IO's <c>Bind</c> and <c>Connect</c>.</summary>
    public IActorRef Manager { get; }

    /// <summary>Where the ring owner's loop is, once the owner has started.</summary>
    internal RingLoopReference Loop { get; } = new();
}
