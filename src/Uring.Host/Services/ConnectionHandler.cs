using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// A service's connection handler: handles each <see cref="AkkaTcp.Received"/> and stops when its
/// connection closes. An untyped actor: one starts per connection, and a ReceiveActor builds its
/// message matchers anew in every instance.
/// </summary>
internal abstract class ConnectionHandler : UntypedActor
{
    /// <summary>Handles one chunk of received bytes.</summary>
    protected abstract void OnReceived(AkkaTcp.Received received);

    protected sealed override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Received received:
                OnReceived(received);
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
