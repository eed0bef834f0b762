using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using Akka.Remote.Transport;
using Uring.Actors;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Remote;

/// <summary>
/// One <see cref="UringTransport"/>'s actor: it binds through UringTcp's manager, connects outbound
/// associations, and for every connection — accepted or made — starts an <see cref="AssociationActor"/>
/// on the connection's ring loop and hands Akka.Remote an <see cref="UringAssociationHandle"/>.
/// Inbound associations wait until Akka.Remote has registered its association listener. The
/// extension treats this actor's binds and connects as infrastructure: coordinated shutdown's
/// service phases leave them open (cluster traffic flows while a node leaves), and
/// <see cref="Shutdown"/> closes them when remoting stops.
/// </summary>
internal sealed class TransportActor : UntypedActor
{
    private readonly UringTransportSettings _settings;
    private readonly string _systemName;
    private readonly IActorRef _manager;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskCompletionSource<IAssociationEventListener> _associationListener = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<EndPoint, (Address Remote, TaskCompletionSource<AssociationHandle> Result)> _connecting = new(ReferenceEqualityComparer.Instance);
    private readonly List<IActorRef> _earlyInbound = [];
    private readonly HashSet<IActorRef> _connections = [];
    private IAssociationEventListener? _listener;
    private IActorRef? _bound;
    private Address? _localAddress;
    private TaskCompletionSource<(Address, TaskCompletionSource<IAssociationEventListener>)>? _listening;

    private TransportActor(UringTransportSettings settings, string systemName, UringTcpExtension uring)
    {
        _settings = settings;
        _systemName = systemName;
        _manager = uring.Manager;
        uring.ExcludeFromServiceShutdown(Self);
    }

    internal static Props Props(UringTransportSettings settings, string systemName, UringTcpExtension uring) =>
        FactoryProps.Create(() => new TransportActor(settings, systemName, uring));

    /// <summary>Bind, then answer with the local address and the promise Akka.Remote completes with its listener.</summary>
    internal sealed record Listen(TaskCompletionSource<(Address, TaskCompletionSource<IAssociationEventListener>)> Result);

    /// <summary>Connect to <paramref name="Remote"/>, answering with the association's handle.</summary>
    internal sealed record Associate(Address Remote, TaskCompletionSource<AssociationHandle> Result);

    /// <summary>Unbind and close every association; answered with true once they are closed (or the timeout passed).</summary>
    internal sealed record Shutdown(TaskCompletionSource<bool> Result);

    private sealed record Resolved(Address Remote, IPEndPoint Endpoint, TaskCompletionSource<AssociationHandle> Result);

    private sealed record ListenerReady(IAssociationEventListener Listener);

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy; // a failing association is dropped (its connection closes)

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Listen listen:
                _listening = listen.Result;
                var bindTo = new IPEndPoint(IPAddress.TryParse(_settings.Hostname, out var ip) ? ip : ResolveHost(_settings.Hostname), _settings.Port);
                _manager.Tell(new AkkaTcp.Bind(Self, bindTo, _settings.Backlog));
                break;
            case AkkaTcp.Bound bound:
                _bound = Sender;
                var local = (IPEndPoint)bound.LocalAddress;
                _localAddress = new Address("tcp", _systemName, HostOf(_settings.PublicHostname), _settings.PublicPort ?? local.Port);
                var self = Self;
                _associationListener.Task.ContinueWith(ready => self.Tell(new ListenerReady(ready.Result)), TaskContinuationOptions.OnlyOnRanToCompletion);
                _listening?.TrySetResult((_localAddress, _associationListener));
                break;
            case AkkaTcp.CommandFailed { Cmd: AkkaTcp.Bind bind } failed:
                _listening?.TrySetException(new RemoteTransportException($"The Uring transport could not bind {bind.LocalAddress}: {failed.CauseString ?? "see the log"}. Change akka.remote.uring.hostname or port."));
                break;
            case ListenerReady ready:
                _listener = ready.Listener;
                foreach (var connection in _earlyInbound)
                {
                    Inbound(connection);
                }

                _earlyInbound.Clear();
                break;
            case Associate associate:
                StartConnecting(associate);
                break;
            case Resolved resolved:
                _connecting[resolved.Endpoint] = (resolved.Remote, resolved.Result);
                _manager.Tell(new AkkaTcp.Connect(resolved.Endpoint, timeout: _settings.ConnectionTimeout));
                break;
            case AkkaTcp.Connected { RemoteAddress: { } peer } when _connecting.Remove(peer, out var outbound):
                if (Start(Sender, outbound.Remote) is { } handle)
                {
                    outbound.Result.TrySetResult(handle);
                }
                else
                {
                    outbound.Result.TrySetException(new InvalidAssociationException($"The connection to {outbound.Remote} failed as it started."));
                }

                break;
            case AkkaTcp.Connected:
                if (_listener is null)
                {
                    _earlyInbound.Add(Sender);
                }
                else
                {
                    Inbound(Sender);
                }

                break;
            case AkkaTcp.CommandFailed { Cmd: AkkaTcp.Connect connect } failed when _connecting.Remove(connect.RemoteAddress, out var refused):
                refused.Result.TrySetException(new InvalidAssociationException($"The Uring transport could not connect to {refused.Remote}: {failed.CauseString ?? "refused or timed out"}."));
                break;
            case Terminated terminated:
                _connections.Remove(terminated.ActorRef);
                break;
            case Shutdown shutdown:
                ShutDown(shutdown.Result);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StartConnecting(Associate associate)
    {
        if (associate.Remote.Host is not { } host || associate.Remote.Port is not { } port)
        {
            associate.Result.TrySetException(new InvalidAssociationException($"{associate.Remote} has no host and port to connect to."));
            return;
        }

        var self = Self;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            self.Tell(new Resolved(associate.Remote, new IPEndPoint(ip, port), associate.Result));
            return;
        }

        Dns.GetHostAddressesAsync(host).ContinueWith((Task<IPAddress[]> lookup) =>
        {
            var found = lookup.IsCompletedSuccessfully
                ? lookup.Result.FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork) ?? lookup.Result.FirstOrDefault()
                : null;
            if (found is not null)
            {
                self.Tell(new Resolved(associate.Remote, new IPEndPoint(found, port), associate.Result));
            }
            else
            {
                associate.Result.TrySetException(new InvalidAssociationException($"The Uring transport could not resolve {host}: {lookup.Exception?.GetBaseException().Message ?? "no address"}."));
            }
        }, TaskScheduler.Default);
    }

    /// <summary>An accepted connection: its remote address is the peer's socket (Akka.Remote's handshake then names the peer's system).</summary>
    private void Inbound(IActorRef connection)
    {
        var peer = ConnectionRef.Of(connection).Socket.RemoteEndPoint as IPEndPoint;
        var remote = new Address("tcp", _systemName, HostOf(peer?.Address.ToString() ?? "unknown"), peer?.Port ?? 0);
        if (Start(connection, remote) is { } handle)
        {
            _listener!.Notify(new InboundAssociation(handle));
        }
    }

    /// <summary>
    /// Registers an association actor on the connection's loop and makes the handle Akka.Remote
    /// writes through; null (the connection reset) when its socket is already gone — this actor's
    /// state belongs to every association, so one connection's failure never throws here.
    /// </summary>
    private UringAssociationHandle? Start(IActorRef connection, Address remote)
    {
        try
        {
            var socket = ConnectionRef.Of(connection).Socket;
            if (_settings.SendBufferSize > 0)
            {
                socket.SendBufferSize = _settings.SendBufferSize;
            }

            if (_settings.ReceiveBufferSize > 0)
            {
                socket.ReceiveBufferSize = _settings.ReceiveBufferSize;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _log.Debug("Association with {0} dropped as it started: {1}", remote, e.Message);
            connection.Tell(AkkaTcp.Abort.Instance);
            return null;
        }

        var association = Context.ActorOf(AssociationActor.Props(connection, remote, _settings.MaximumFrameSize));
        connection.Tell(new AkkaTcp.Register(association));
        _connections.Add(Context.Watch(connection));
        var handle = new UringAssociationHandle(_localAddress!, remote, connection);
        handle.ReadHandlerSource.Task.ContinueWith(listener => association.Tell(new AssociationActor.ListenerRegistered(listener.Result)), TaskContinuationOptions.OnlyOnRanToCompletion);
        return handle;
    }

    private void ShutDown(TaskCompletionSource<bool> result)
    {
        _bound?.Tell(AkkaTcp.Unbind.Instance);
        foreach (var (_, pending) in _connecting)
        {
            pending.Result.TrySetException(new InvalidAssociationException("The Uring transport shut down."));
        }

        _connecting.Clear();
        var closing = _connections.Select(connection => connection.GracefulStop(TimeSpan.FromSeconds(5), AkkaTcp.Close.Instance)).ToList();
        Task.WhenAll(closing).ContinueWith(done => result.TrySetResult(done.IsCompletedSuccessfully), TaskScheduler.Default);
    }

    private static IPAddress ResolveHost(string host) =>
        Dns.GetHostAddresses(host).FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork)
        ?? throw new RemoteTransportException($"akka.remote.uring.hostname '{host}' resolves to no IPv4 address.");

    /// <summary>An address's host as Akka writes it (IPv6 in brackets).</summary>
    private static string HostOf(string host) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : host;
}
