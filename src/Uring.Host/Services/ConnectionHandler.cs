using Akka.Actor;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// A service's connection handler: handles each chunk of received bytes — a copied
/// <see cref="AkkaTcp.Received"/>, or, with <c>Uring:Tcp:LeasedReceive</c>, a
/// <see cref="UringTcp.ReceivedLease"/> over the kernel's buffer — and stops when its connection
/// closes. An untyped actor: one starts per connection, and a ReceiveActor builds its message
/// matchers anew in every instance.
/// </summary>
internal abstract class ConnectionHandler : UntypedActor
{
    /// <summary>Handles one chunk of received bytes.</summary>
    protected abstract void OnReceived(AkkaTcp.Received received);

    /// <summary>Handles one chunk of received bytes left in the kernel's buffer; the handler owns the lease and must dispose it (or hand it on, as a <see cref="UringTcp.WriteOwned"/>).</summary>
    protected abstract void OnReceived(UringTcp.ReceivedLease lease);

    /// <summary>Handles any other message, such as a handler's own timer; unhandled unless overridden.</summary>
    protected virtual void OnOtherMessage(object message) => Unhandled(message);

    protected sealed override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Received received:
                OnReceived(received);
                break;
            case UringTcp.ReceivedLease lease:
                OnReceived(lease);
                break;
            case AkkaTcp.ConnectionClosed:
                Context.Stop(Self);
                break;
            default:
                OnOtherMessage(message);
                break;
        }
    }
}
