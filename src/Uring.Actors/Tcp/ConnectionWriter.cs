using System.Buffers;
using System.Net.Sockets;
using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// A connection's outgoing bytes, sent from the ring loop's thread. Each write is queued here — by
/// the handler's thread through <see cref="ConnectionRef"/>, or by the connection actor; the loop
/// issues the sends and finishes them: one send in flight at a time, gathering up to 16 queued
/// writes into one <c>sendmsg</c>, continuing partial sends, and acknowledging each write (to its
/// commander, as if by the connection) once its last byte went out. A write then costs no message
/// to the ring owner and none back when its send completes; the connection hears from the writer
/// only when it must act — a send failed (<see cref="Failed"/>), or the queue drained while the
/// connection waits to close (<see cref="Drained"/>).
/// <para>Memory: an Akka.IO <see cref="AkkaTcp.Write"/> is copied into an array rented from
/// <see cref="ArrayPool{T}.Shared"/> (with large messages, half the garbage of a fresh copy per
/// write: docs/performance-log.md, "Large messages: where the time went"); a <see cref="UringTcp.WriteOwned"/> is sent from
/// its own memory, without a copy. Either goes back (to the pool, or its owner disposed) only once
/// the kernel has taken every byte of it — at the completion of the send that finished it, or, for
/// a write dropped while a send still reads it, at that send's completion — never while a send may
/// still read it.</para>
/// <para>Threads share it — writers add, the loop sends and removes — under one lock that nobody
/// holds for longer than a queue operation.</para>
/// </summary>
internal sealed class ConnectionWriter : RingLoop.Delivery, IRingWork
{
    /// <summary>The most queued writes one sendmsg gathers (its iovec limit in <see cref="Ring.SubmitSendMsg(FileDescriptor, IReadOnlyList{ReadOnlyMemory{byte}}, System.Net.EndPoint?, object?, MessageFlags)"/>).</summary>
    private const int MaxGatheredWrites = 16;

    private readonly object _gate = new();
    private readonly Queue<PendingWrite> _writes = new();
    private readonly List<PendingWrite> _releaseAfterSend = []; // dropped while the send in flight reads them
    private readonly RingLoop _loop;
    private readonly Socket _socket;
    private readonly IActorRef _acknowledgedBy;
    private readonly ConnectionActivity _activity;
    private readonly KeyValuePair<string, object?> _ringTag;
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private int _headSent; // bytes of the first queued write already sent (only the first is ever partly sent)
    private int _inSend; // how many of the first queued writes the send in the ring reads
    private bool _sending; // a send is posted or in the ring
    private bool _notifyWhenDrained;
    private bool _accepting; // the connection takes writes: registered, not closing
    private bool _discarded; // the connection dropped the queue (abort, error, stopped): a failing send is no news to it
    private Ring? _ring; // written on the loop's thread under the lock; read by IsSendingOn

    /// <summary>
    /// A writer for <paramref name="connection"/>'s <paramref name="socket"/>, sending on
    /// <paramref name="loop"/>; acks are sent as if by <paramref name="acknowledgedBy"/> (the
    /// connection as its handler knows it); writes that would queue more than
    /// <paramref name="maxQueuedBytes"/> are refused.
    /// </summary>
    internal ConnectionWriter(RingLoop loop, Socket socket, IActorRef connection, IActorRef acknowledgedBy, ConnectionActivity activity, KeyValuePair<string, object?> ringTag, long maxQueuedBytes)
        : base(connection, SendTag.Instance)
    {
        _loop = loop;
        _socket = socket;
        _acknowledgedBy = acknowledgedBy;
        _activity = activity;
        _ringTag = ringTag;
        _maxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>What became of a write offered to <see cref="TryEnqueue(AkkaTcp.Write, IActorRef)"/>.</summary>
    internal enum Admission
    {
        /// <summary>Queued (or, if empty and nothing is queued, acknowledged at once).</summary>
        Queued,

        /// <summary>Refused: the queue would hold more than its limit.</summary>
        OverLimit,

        /// <summary>Not taken: the connection is not registered yet, or closing; it decides.</summary>
        NotAccepting,
    }

    /// <summary>The most bytes it queues (<c>uring.tcp.max-queued-write-bytes</c>).</summary>
    internal long MaxQueuedBytes => _maxQueuedBytes;

    /// <summary>Whether writes are taken: from the handler's Register until the connection starts to close.</summary>
    internal void Accept(bool accepting)
    {
        lock (_gate)
        {
            _accepting = accepting;
        }
    }

    /// <summary>
    /// Queues a copy of <paramref name="write"/>'s bytes (kept until they are sent) and starts sending
    /// if nothing is being sent; its ack goes to <paramref name="commander"/>. Nothing is queued when
    /// the queue would then hold more than the limit, or when the connection does not take writes
    /// now. An empty write is acknowledged once the writes before it are. Any thread.
    /// </summary>
    internal Admission TryEnqueue(AkkaTcp.Write write, IActorRef commander)
    {
        var length = write.Data.Count;
        var copy = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        write.Data.CopyTo(copy, 0, length);
        var admission = TryEnqueue(new PendingWrite(copy.AsMemory(0, length), copy, write.Ack, commander));
        if (admission != Admission.Queued)
        {
            Release(copy);
        }

        return admission;
    }

    /// <summary>
    /// Queues the first <paramref name="length"/> bytes of <paramref name="rented"/>, unacknowledged:
    /// the library's own framed writes (the Akka.Remote transport). A queued array is the writer's,
    /// which gives it back to <see cref="ArrayPool{T}.Shared"/> once sent; a refused one stays the
    /// caller's. Any thread.
    /// </summary>
    internal Admission TryEnqueueRented(byte[] rented, int length) =>
        TryEnqueue(new PendingWrite(rented.AsMemory(0, length), rented, AkkaTcp.NoAck.Instance, ActorRefs.Nobody));

    /// <summary>
    /// Queues <paramref name="write"/>'s own memory, to be sent without a copy; its owner is disposed
    /// once the kernel has taken every byte. A write that is not queued stays the caller's, who
    /// disposes it when it refuses the write for good. Any thread.
    /// </summary>
    internal Admission TryEnqueue(UringTcp.WriteOwned write, IActorRef commander) =>
        TryEnqueue(new PendingWrite(write.Data.Memory, write.Data, write.Ack, commander));

    /// <summary>
    /// True when everything queued was sent and no send is in flight; otherwise false, and the writer
    /// tells the connection <see cref="Drained"/> once that is so.
    /// </summary>
    internal bool DrainedOrNotify()
    {
        lock (_gate)
        {
            _notifyWhenDrained = !IsIdle;
            return IsIdle;
        }
    }

    /// <summary>Drops every queued write (an abort or a failed connection); a send already in the ring still completes.</summary>
    internal void Discard()
    {
        lock (_gate)
        {
            _discarded = true;
            DropQueue();
        }
    }

    /// <summary>Whether a send is in flight on <paramref name="ring"/> (which is going away); any thread.</summary>
    internal bool IsSendingOn(Ring ring)
    {
        lock (_gate)
        {
            return _sending && ReferenceEquals(_ring, ring);
        }
    }

    /// <inheritdoc />
    void IRingWork.Run(Ring ring)
    {
        lock (_gate)
        {
            _ring = ring;
        }

        SendNext();
    }

    /// <inheritdoc />
    void IRingWork.Abandon() => Fail("the ring loop shut down before the write was sent");

    private bool IsIdle => !_sending && _writes.Count == 0;

    private Admission TryEnqueue(PendingWrite write)
    {
        lock (_gate)
        {
            if (!_accepting)
            {
                return Admission.NotAccepting;
            }

            if (_queuedBytes + write.Data.Length > _maxQueuedBytes)
            {
                return Admission.OverLimit;
            }

            if (write.Data.Length == 0 && IsIdle)
            {
                Release(write.Owner);
                Acknowledge(write.Ack, write.Commander);
                return Admission.Queued;
            }

            _writes.Enqueue(write);
            _queuedBytes += write.Data.Length;
            if (_sending)
            {
                return Admission.Queued; // the send in flight continues with this one when it completes
            }

            _sending = true;
        }

        _loop.Post(this);
        return Admission.Queued;
    }

    /// <summary>On the loop: sends what is queued — one write with <c>send</c>, several gathered into one <c>sendmsg</c>.</summary>
    private void SendNext()
    {
        var ring = _ring!;
        try
        {
            lock (_gate)
            {
                if (_writes.Count == 0)
                {
                    FinishSending(); // discarded while the send was on its way to the loop
                    return;
                }

                if (_writes.Count == 1)
                {
                    ring.SubmitSend(_socket, _writes.Peek().Data[_headSent..], this);
                    _inSend = 1;
                    return;
                }

                var headSent = _headSent;
                var buffers = _writes.Take(MaxGatheredWrites).Select((write, i) => write.Data[(i == 0 ? headSent : 0)..]).ToArray();
                ring.SubmitSendMsg(_socket, buffers, userData: this);
                _inSend = buffers.Length;
            }
        }
        catch (SubmissionQueueFullException)
        {
            _loop.RunAgainWhenRoom(this);
        }
        catch (Exception e) when (e is ArgumentException or ObjectDisposedException or InvalidOperationException or UringException)
        {
            Fail($"the ring refused the send: {e.Message}");
        }
    }

    /// <summary>
    /// The send's completion, on the loop's thread. The writer is its sends' ring user data, so the
    /// loop reaches it with no object in between; it takes every completion, so none becomes a message.
    /// </summary>
    internal override bool TryTake(Completion completion)
    {
        if (!completion.IsSuccess)
        {
            Fail(completion.Error.ToString());
            return true;
        }

        UringMetrics.BytesSent.Add(completion.Res, _ringTag);
        _activity.Note();
        lock (_gate)
        {
            SendCompleted();

            // The bytes went out in queue order: complete the writes they cover; a partly sent first one counts its bytes in _headSent.
            var sent = completion.Res;
            while (_writes.TryPeek(out var write) && (sent > 0 || _headSent == write.Data.Length))
            {
                var taken = Math.Min(sent, write.Data.Length - _headSent);
                _headSent += taken;
                sent -= taken;
                if (_headSent == write.Data.Length)
                {
                    _writes.Dequeue();
                    _headSent = 0;
                    _queuedBytes -= write.Data.Length;
                    Release(write.Owner); // the kernel has taken every byte of it, and the send that took the last ones has completed
                    Acknowledge(write.Ack, write.Commander);
                }
            }

            if (_writes.Count == 0)
            {
                FinishSending();
                return true;
            }
        }

        SendNext();
        return true;
    }

    /// <summary>Under the lock, at a send's completion: no send reads any write now; what was dropped meanwhile goes back.</summary>
    private void SendCompleted()
    {
        _inSend = 0;
        foreach (var dropped in _releaseAfterSend)
        {
            Release(dropped.Owner);
        }

        _releaseAfterSend.Clear();
    }

    /// <summary>
    /// Under the lock: takes no more writes and forgets the queued ones, giving back their memory —
    /// except that of the writes the send in the ring still reads, which goes back at its completion.
    /// </summary>
    private void DropQueue()
    {
        _accepting = false;
        var index = 0;
        foreach (var write in _writes)
        {
            if (index++ < _inSend)
            {
                _releaseAfterSend.Add(write);
            }
            else
            {
                Release(write.Owner);
            }
        }

        _writes.Clear();
        _inSend = 0;
        _headSent = 0;
        _queuedBytes = 0;
    }

    /// <summary>Under the lock: nothing left to send; tell a connection that waits to close.</summary>
    private void FinishSending()
    {
        _sending = false;
        if (_notifyWhenDrained)
        {
            _notifyWhenDrained = false;
            Recipient.Tell(Drained.Instance, ActorRefs.NoSender); // the connection
        }
    }

    /// <summary>The send failed, could not be made, or never will be: no send reads any write any more, so all of them go back.</summary>
    private void Fail(string cause)
    {
        lock (_gate)
        {
            SendCompleted();
            DropQueue();
            if (_discarded)
            {
                FinishSending(); // the connection gave up on its writes already; it may wait for the send to end
                return;
            }

            _sending = false;
        }

        Recipient.Tell(new Failed(cause), ActorRefs.NoSender); // the connection
    }

    private void Acknowledge(AkkaTcp.Event ack, IActorRef commander)
    {
        if (ack is not AkkaTcp.NoAck)
        {
            commander.Tell(ack, _acknowledgedBy);
        }
    }

    /// <summary>Gives a write's memory back: a pooled copy to the pool, owned memory to its owner.</summary>
    private static void Release(object? owner)
    {
        switch (owner)
        {
            case byte[] { Length: > 0 } copy:
                ArrayPool<byte>.Shared.Return(copy);
                break;
            case IDisposable own:
                own.Dispose();
                break;
        }
    }

    /// <summary>The tag of the writer's sends; a completion with it reaches the connection only if the writer failed to take it.</summary>
    internal sealed class SendTag
    {
        private SendTag()
        {
        }

        public static SendTag Instance { get; } = new();
    }

    /// <summary>Everything queued was sent, and the connection had asked (<see cref="DrainedOrNotify"/>).</summary>
    internal sealed class Drained
    {
        private Drained()
        {
        }

        public static Drained Instance { get; } = new();
    }

    /// <summary>A send failed or could not be made; the queue is discarded and the connection must close.</summary>
    internal sealed record Failed(string Cause);

    /// <summary>
    /// A queued write: its bytes, what owns them (a pooled array, or an <see cref="IMemoryOwner{T}"/>
    /// to dispose), its ack and who gets it; how much of the first one was sent is <see cref="_headSent"/>.
    /// </summary>
    private readonly record struct PendingWrite(ReadOnlyMemory<byte> Data, object? Owner, AkkaTcp.Event Ack, IActorRef Commander);
}
