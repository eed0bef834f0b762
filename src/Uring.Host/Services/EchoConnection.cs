using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>The echo service's connection handler: writes back every byte it receives.</summary>
internal sealed class EchoConnection(IActorRef connection) : ConnectionHandler
{
    protected override void OnReceived(AkkaTcp.Received received) => connection.Tell(AkkaTcp.Write.Create(received.Data));
}
