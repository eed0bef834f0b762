using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// The echo service's connection handler: writes back every byte it receives. An untyped actor: one
/// starts per connection, and a ReceiveActor builds its message matcher anew in every instance.
/// </summary>
internal sealed class EchoConnection(IActorRef connection) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Received received:
                connection.Tell(AkkaTcp.Write.Create(received.Data));
                break;
            case AkkaTcp.ConnectionClosed:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
