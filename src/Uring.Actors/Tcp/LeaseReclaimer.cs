using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;

namespace Uring.Actors.Tcp;

/// <summary>
/// Gives back the buffers of leases no actor will read: subscribed to dead letters, it disposes the
/// lease in every <see cref="UringTcp.ReceivedLease"/> found there (sent to a handler that had
/// stopped, or left in its mailbox when it stopped), the memory of every
/// <see cref="UringTcp.WriteOwned"/> (told to a connection that had stopped), and every ring
/// completion that carries a lease (a leased leg for a connection that stopped). Without it such a buffer would wait for the
/// lease's finalizer (and be reported as a leak).
/// </summary>
internal sealed class LeaseReclaimer : ReceiveActor
{
    public LeaseReclaimer()
    {
        Receive<AllDeadLetters>(dead =>
        {
            switch (dead.Message is ConnectionRef.Forwarded forwarded ? forwarded.Message : dead.Message)
            {
                case UringTcp.ReceivedLease lease:
                    lease.Data.Dispose();
                    break;
                case UringTcp.WriteOwned write:
                    write.Data.Dispose(); // told to a connection that had stopped (through its face, wrapped)
                    break;
                case RingProtocol.Completed { Completion.Lease: { } leg }:
                    leg.Dispose();
                    break;
            }
        });
    }
}
