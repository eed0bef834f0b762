using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>The echo service's connection handler: writes back every byte it receives.</summary>
internal sealed class EchoConnection : ReceiveActor
{
    public EchoConnection(IActorRef connection)
    {
        Receive<AkkaTcp.Received>(received => connection.Tell(AkkaTcp.Write.Create(received.Data)));
        Receive<AkkaTcp.ConnectionClosed>(_ => Context.Stop(Self));
    }
}
