using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// One multishot receive of a connection (one arm: from its submission to its final completion),
/// and that receive's ring user data: on the ring loop's thread, it turns each copied leg straight
/// into a <see cref="AkkaTcp.Received"/> for the handler, sent as if by the connection (handlers
/// reply to <c>Sender</c>). Received data then costs one message instead of two — no hop through the
/// connection actor — and the loop reaches this object with nothing in between. The final leg,
/// errors, and everything once the handler has stopped still go to the connection, tagged with the
/// arm's tag; because the loop tells the handler each leg before it tells the connection the final
/// one, the handler always sees the data before <see cref="AkkaTcp.PeerClosed"/> or a close.
/// </summary>
internal sealed class DirectReceive(IActorRef handler, IActorRef face, ConnectionActivity activity, KeyValuePair<string, object?> ringTag, IActorRef connection, object tag)
    : RingLoop.Delivery(connection, tag)
{
    private volatile bool _handlerStopped;

    /// <summary>The handler stopped: leave legs to the connection, which drops them.</summary>
    internal void HandlerStopped() => _handlerStopped = true;

    /// <summary>On the loop: delivers a data leg that more legs follow to a live handler; false for anything the connection must see.</summary>
    internal override bool TryTake(Completion completion) =>
        completion.HasMore && !_handlerStopped && (completion.Lease is { } lease ? Deliver(lease) : Deliver(completion));

    /// <summary>
    /// A leased leg, on the loop: noted, counted, and handed to the handler as a
    /// <see cref="UringTcp.ReceivedLease"/>, which the handler disposes (if it stops first, the lease
    /// reaches dead letters, where the extension disposes it).
    /// </summary>
    private bool Deliver(ReceivedLease lease)
    {
        activity.Note();
        UringMetrics.BytesReceived.Add(lease.Length, ringTag);
        handler.Tell(new UringTcp.ReceivedLease(lease), face);
        return true;
    }

    /// <summary>
    /// A leg with data: noted as activity, counted, and handed to the handler as a
    /// <see cref="AkkaTcp.Received"/> — dropped once the handler stopped. False for a leg without data.
    /// Any thread: the loop's (<see cref="TryTake"/>) or the connection's own.
    /// </summary>
    internal bool Deliver(Completion completion)
    {
        if (completion.Res <= 0)
        {
            return false;
        }

        activity.Note();
        UringMetrics.BytesReceived.Add(completion.Res, ringTag);
        if (!_handlerStopped)
        {
            // The ring copied this leg into an array of its own: wrap it, do not copy it again.
            var data = MemoryMarshal.TryGetArray(completion.Data, out var array) ? ByteString.FromBytes(array) : ByteString.CopyFrom(completion.Data.ToArray());
            handler.Tell(new AkkaTcp.Received(data), face);
        }

        return true;
    }
}
