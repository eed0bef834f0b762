using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;

namespace Uring.Actors.Tcp;

/// <summary>
/// Gives back the buffers of leases no actor will read: subscribed to dead letters, it disposes the
/// lease in every <see cref="UringTcp.ReceivedLease"/> found there (sent to a handler that had
/// stopped, or left in its mailbox when it stopped) and in every ring completion that carries one
/// (a leased leg for a connection that stopped). Without it such a buffer would wait for the
/// lease's finalizer (and be reported as a leak).
/// </summary>
internal sealed class LeaseReclaimer : ReceiveActor
{
    public LeaseReclaimer()
    {
        Receive<AllDeadLetters>(dead =>
        {
            switch (dead.Message)
            {
                case UringTcp.ReceivedLease lease:
                    lease.Data.Dispose();
                    break;
                case RingProtocol.Completed { Completion.Lease: { } leg }:
                    leg.Dispose();
                    break;
            }
        });
    }
}
