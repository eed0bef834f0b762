using Akka.Actor;

namespace Uring.Actors.Tcp;

/// <summary>
/// Takes Akka.IO's <see cref="Akka.IO.Tcp.Bind"/> and <see cref="Akka.IO.Tcp.Connect"/> and starts a
/// listener or an outgoing connection for each. A listener that fails is restarted — keeping its
/// socket, port and connections — up to 10 times a minute; outgoing connections live under a
/// parent that stops (and so closes) any that fails.
/// </summary>
internal sealed class TcpManagerActor : ReceiveActor
{
    public TcpManagerActor(IActorRef owner, UringSettings settings)
    {
        var outgoing = Context.ActorOf(Props.Create(() => new OutgoingConnections(owner, settings)), "outgoing");
        Receive<Akka.IO.Tcp.Bind>(bind => Context.ActorOf(
            Props.Create(() => new TcpListenerActor(owner, settings, bind, Sender, new ListeningSocket()))));
        Receive<Akka.IO.Tcp.Connect>(connect => outgoing.Forward(connect));
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: failure =>
            failure is ActorInitializationException ? Directive.Stop : Directive.Restart);

    /// <summary>The parent of outgoing connections: a connection that fails is stopped.</summary>
    private sealed class OutgoingConnections : ReceiveActor
    {
        public OutgoingConnections(IActorRef owner, UringSettings settings) =>
            Receive<Akka.IO.Tcp.Connect>(connect => Context.ActorOf(
                Props.Create(() => new TcpOutgoingConnectionActor(owner, settings, connect, Sender))));

        protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
    }
}

/// <summary>A listener's state that outlives its restarts: the socket (so the port and the connections survive) and the accept generation (so a completion of a previous instance's accept is recognised).</summary>
internal sealed class ListeningSocket
{
    public System.Net.Sockets.Socket? Socket { get; set; }

    public int Generation { get; set; }
}
