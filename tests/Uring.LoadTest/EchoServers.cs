using System.Net;
using Akka.Actor;
using Akka.IO;

namespace Uring.LoadTest;

/// <summary>An echo server written once against Akka.IO's TCP protocol, run on either TCP manager.</summary>
internal sealed class EchoServer : ReceiveActor
{
    public EchoServer(IActorRef manager, int port, TaskCompletionSource<EndPoint> bound)
    {
        manager.Tell(new Tcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, port), backlog: 2048));
        Receive<Tcp.Bound>(b => bound.TrySetResult(b.LocalAddress));
        Receive<Tcp.CommandFailed>(_ => bound.TrySetException(new InvalidOperationException($"bind to port {port} failed")));
        Receive<Tcp.Connected>(_ =>
        {
            var connection = Sender;
            connection.Tell(new Tcp.Register(Context.ActorOf(Props.Create(() => new EchoConnection(connection)))));
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private sealed class EchoConnection : ReceiveActor
    {
        public EchoConnection(IActorRef connection)
        {
            Receive<Tcp.Received>(received => connection.Tell(Tcp.Write.Create(received.Data)));
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        }
    }
}
