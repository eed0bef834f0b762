using System.Net;
using Akka.Actor;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// An echo server written against Akka.IO's TCP protocol only. The specs run it unchanged on
/// Akka.IO's manager and on UringTcp's.
/// </summary>
public sealed class EchoServer : ReceiveActor
{
    /// <param name="manager">The TCP manager to bind through.</param>
    /// <param name="reportTo">Hears Bound, a failed bind, and how each connection ended.</param>
    /// <param name="handler">Each connection's handler; an <see cref="EchoConnection"/> when null.</param>
    /// <param name="place">Where the handler runs, given its connection (for example on its ring's loop); Akka's default dispatcher when null.</param>
    public EchoServer(IActorRef manager, IActorRef reportTo, Props? handler = null, Func<Props, IActorRef, Props>? place = null)
    {
        manager.Tell(new Tcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0)));
        IActorRef? listener = null;
        Receive<Tcp.Bound>(bound =>
        {
            listener = Sender;
            reportTo.Tell(bound);
        });
        Receive<Tcp.CommandFailed>(failed => reportTo.Tell(failed));
        Receive<Tcp.Connected>(connected =>
        {
            var connection = Sender;
            var props = handler ?? Props.Create(() => new EchoConnection(connection, reportTo));
            var echo = Context.ActorOf(place is null ? props : place(props, connection));
            connection.Tell(new Tcp.Register(echo));
        });
        Receive<Tcp.Unbind>(unbind => listener.Forward(unbind));
    }

    /// <summary>A handler that fails is stopped, not restarted: its connection then goes down with it (death pact).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <summary>Echoes what it receives and reports how the connection ended.</summary>
    public sealed class EchoConnection : ReceiveActor
    {
        public EchoConnection(IActorRef connection, IActorRef reportTo)
        {
            Receive<Tcp.Received>(received => connection.Tell(Tcp.Write.Create(received.Data)));
            Receive<Tcp.ConnectionClosed>(closed =>
            {
                reportTo.Tell(closed);
                Context.Stop(Self);
            });
        }
    }

    /// <summary>An <see cref="EchoConnection"/> that also keeps a receive timeout, as many handlers do: Akka's scheduler in use from every new connection.</summary>
    public sealed class TimedEchoConnection : ReceiveActor
    {
        public TimedEchoConnection()
        {
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(10));
            Receive<Tcp.Received>(received => Sender.Tell(Tcp.Write.Create(received.Data))); // the sender of Received is the connection
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        }
    }

    /// <summary>Throws on the first data it receives.</summary>
    public sealed class CrashingConnection : ReceiveActor
    {
        public CrashingConnection() => Receive<Tcp.Received>(_ => throw new InvalidOperationException("handler crash (expected by the spec)"));
    }
}
