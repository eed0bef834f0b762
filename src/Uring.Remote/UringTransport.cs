using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Uring.Actors.Tcp;

namespace Uring.Remote;

/// <summary>
/// An Akka.Remote transport on Uring's rings (<c>akka.remote.enabled-transports = ["akka.remote.uring"]</c>):
/// Akka.Remote, and Akka.Cluster above it, send and receive over UringTcp's listeners, connections
/// and writers — a connection per association, placed on the ring with the fewest connections, its
/// frames cut and written on that ring's loop. Akka.Remote builds it from the
/// <c>akka.remote.uring</c> section (<see cref="UringRemoting.DefaultConfig"/>).
/// <para>Frames are a 4-byte little-endian length and the payload; <c>maximum-frame-size</c> bounds
/// both directions. TCP_NODELAY is on. There is no TLS.</para>
/// </summary>
public sealed class UringTransport : Transport
{
    private static int s_transports;
    private readonly IActorRef _actor;

    /// <summary>Called by Akka.Remote with the actor system and the transport's configuration section.</summary>
    /// <exception cref="ConfigurationException">A value of the section is out of range; the message names the key.</exception>
    public UringTransport(ActorSystem system, Config config)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(config);
        System = system;
        Config = config;
        Settings = UringTransportSettings.From(config);
        SchemeIdentifier = "tcp";
        var uring = UringTcp.Get(system);
        _actor = ((ExtendedActorSystem)system).SystemActorOf(TransportActor.Props(Settings, system.Name, uring), $"uring-remote-transport-{Interlocked.Increment(ref s_transports)}");
    }

    /// <summary>The settings in effect.</summary>
    public UringTransportSettings Settings { get; }

    /// <inheritdoc />
    public override string SchemeIdentifier { get; protected set; }

    /// <inheritdoc />
    public override long MaximumPayloadBytes => Settings.MaximumFrameSize;

    /// <inheritdoc />
    public override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var result = new TaskCompletionSource<(Address, TaskCompletionSource<IAssociationEventListener>)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new TransportActor.Listen(result));
        return result.Task;
    }

    /// <inheritdoc />
    public override bool IsResponsibleFor(Address remote) => true;

    /// <inheritdoc />
    public override Task<AssociationHandle> Associate(Address remoteAddress)
    {
        var result = new TaskCompletionSource<AssociationHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new TransportActor.Associate(remoteAddress, result));
        return result.Task;
    }

    /// <inheritdoc />
    public override Task<bool> Shutdown()
    {
        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new TransportActor.Shutdown(result));
        return result.Task;
    }
}
