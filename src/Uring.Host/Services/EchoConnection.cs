using Akka.Actor;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// The echo service's connection handler: writes back every byte it receives. Leased chunks go back
/// without a copy (<see cref="UringTcp.WriteOwned"/>): the bytes stay in the kernel's receive buffer
/// until the send has taken them, and the buffer then returns to the receive.
/// </summary>
internal sealed class EchoConnection(IActorRef connection) : ConnectionHandler
{
    protected override void OnReceived(AkkaTcp.Received received) => connection.Tell(AkkaTcp.Write.Create(received.Data));

    protected override void OnReceived(UringTcp.ReceivedLease lease) => connection.Tell(new UringTcp.WriteOwned(lease.Data));
}
