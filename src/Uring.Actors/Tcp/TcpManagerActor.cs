using System.Net.Sockets;
using Akka;
using Akka.Actor;
using Akka.Event;

namespace Uring.Actors.Tcp;

/// <summary>
/// Takes Akka.IO's <see cref="Akka.IO.Tcp.Bind"/> and <see cref="Akka.IO.Tcp.Connect"/> and starts a
/// listener or an outgoing connection for each. A listener accepts on one ring (the one with the
/// fewest connections when it binds); every connection, accepted or outgoing, is placed on the ring
/// with the fewest connections then (<see cref="RingShards"/>), and stays there. A listener that
/// fails is restarted — keeping its socket, port and ring — up to 10 times a minute. Connections
/// live under a separate parent that stops (and so closes) any that fails, so a listener's restart
/// leaves them alone.
/// <para>Commanders the extension knows as infrastructure (<see cref="UringTcpExtension.ExcludeFromServiceShutdown"/>:
/// the Akka.Remote transport) keep their listeners and connections through coordinated shutdown's
/// service phases, which unbind and close everyone else's: cluster traffic must still flow while the
/// node leaves, and the transport closes them itself when remoting shuts down.</para>
/// </summary>
internal sealed class TcpManagerActor : ReceiveActor
{
    private readonly HashSet<IActorRef> _infrastructureListeners = [];

    public TcpManagerActor(RingShards rings, UringSettings settings, Func<IActorRef, bool> isInfrastructure)
    {
        var connections = Context.ActorOf(FactoryProps.Create(() => new Connections(rings, settings, isInfrastructure)), "connections");
        Receive<Akka.IO.Tcp.Bind>(bind =>
        {
            // Made once, outside the factory: a restarted listener keeps its commander, its socket (and port) and its ring.
            var commander = Sender;
            var socket = new ListeningSocket();
            var ring = rings.LeastLoaded();
            var listener = Context.ActorOf(FactoryProps.Create(() => new TcpListenerActor(ring, settings, bind, commander, socket, connections)));
            if (isInfrastructure(commander))
            {
                _infrastructureListeners.Add(Context.Watch(listener));
            }
        });
        Receive<Terminated>(terminated => _infrastructureListeners.Remove(terminated.ActorRef));
        Receive<Akka.IO.Tcp.Connect>(connect => connections.Forward(connect));
        Receive<CloseAll>(close => connections.Forward(close));
        ReceiveAsync<UnbindAll>(async _ =>
        {
            var requester = Sender;
            var listeners = Context.GetChildren().Where(child => !child.Equals(connections) && !_infrastructureListeners.Contains(child)).ToList();
            await Task.WhenAll(listeners.Select(listener => listener.Ask<Akka.IO.Tcp.Unbound>(Akka.IO.Tcp.Unbind.Instance, TimeSpan.FromSeconds(5))
                .ContinueWith(_ => { }, TaskScheduler.Default)));
            requester.Tell(Done.Instance);
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: failure =>
            failure is ActorInitializationException ? Directive.Stop : Directive.Restart);

    /// <summary>
    /// The parent of every connection, and where each is placed on a ring: one that fails is
    /// stopped, and its socket closed. Its actor's constructor cannot fail, so the placement it
    /// counts is always given back by its PostStop.
    /// </summary>
    private sealed class Connections : ReceiveActor
    {
        private readonly HashSet<IActorRef> _infrastructure = [];

        public Connections(RingShards rings, UringSettings settings, Func<IActorRef, bool> isInfrastructure)
        {
            Receive<Terminated>(terminated => _infrastructure.Remove(terminated.ActorRef));
            Receive<Akka.IO.Tcp.Connect>(connect =>
            {
                var commander = Sender; // read now: the factory runs later, on the new actor's thread
                Socket socket;
                try
                {
                    socket = new Socket(connect.RemoteAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                }
                catch (SocketException e)
                {
                    commander.Tell(TcpFailure.Of(connect, TcpFailure.Socket(e.SocketErrorCode, $"Connect to {connect.RemoteAddress} failed: no socket ({e.Message})")));
                    Context.GetLogger().Warning("Connect to {0} failed: no socket ({1})", connect.RemoteAddress, e.Message);
                    return;
                }

                var ring = rings.PlaceConnection();
                Keep(Context.ActorOf(FactoryProps.Create(() => new TcpOutgoingConnectionActor(ring, settings, socket, connect, commander))), isInfrastructure(commander));
            });
            Receive<AcceptedConnection>(accepted =>
            {
                var ring = rings.PlaceConnection();
                Keep(Context.ActorOf(FactoryProps.Create(() => new TcpConnectionActor(ring, settings, accepted.Socket, accepted.Remote, accepted.BindHandler))), isInfrastructure(accepted.BindHandler));
            });
            ReceiveAsync<CloseAll>(async _ =>
            {
                // Each connection flushes its writes, sends FIN and tells its handler Closed; one
                // that cannot close in time (e.g. still connecting) is stopped with the system.
                var requester = Sender;
                await Task.WhenAll(Context.GetChildren().Where(connection => !_infrastructure.Contains(connection)).Select(connection =>
                    connection.GracefulStop(settings.DrainTimeout, Akka.IO.Tcp.Close.Instance)
                        .ContinueWith(_ => { }, TaskScheduler.Default)));
                requester.Tell(Done.Instance);
            });
        }

        protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

        /// <summary>Remembers an infrastructure connection, which coordinated shutdown's service phase leaves open.</summary>
        private void Keep(IActorRef connection, bool infrastructure)
        {
            if (infrastructure)
            {
                _infrastructure.Add(Context.Watch(connection));
            }
        }
    }
}

/// <summary>A listener accepted a connection: start its actor, which introduces itself to <paramref name="BindHandler"/>.</summary>
internal sealed record AcceptedConnection(System.Net.Sockets.Socket Socket, System.Net.EndPoint Remote, IActorRef BindHandler);

/// <summary>Stop accepting on every listener; answered with <see cref="Done"/> once all have unbound (coordinated shutdown's service-unbind phase).</summary>
internal sealed class UnbindAll
{
    private UnbindAll()
    {
    }

    public static UnbindAll Instance { get; } = new();
}

/// <summary>Close every connection gracefully; answered with <see cref="Done"/> once all have stopped (coordinated shutdown's service-stop phase).</summary>
internal sealed class CloseAll
{
    private CloseAll()
    {
    }

    public static CloseAll Instance { get; } = new();
}

/// <summary>A listener's state that outlives its restarts: the socket (so the port and the connections survive) and the accept generation (so a completion of a previous instance's accept is recognised).</summary>
internal sealed class ListeningSocket
{
    public System.Net.Sockets.Socket? Socket { get; set; }

    public int Generation { get; set; }
}
