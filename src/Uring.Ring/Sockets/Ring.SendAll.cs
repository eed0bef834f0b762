using System.Collections.Concurrent;
using Uring.Native;
using Uring.Ops;

namespace Uring;

/// <summary>
/// Send-all: one operation that sends a whole buffer through as many <c>IORING_OP_SEND</c> legs as
/// it takes. A stream socket takes what fits in its send buffer and reports a short count; the ring
/// consumes those partial completions and submits the rest from where the last leg stopped, on the
/// thread that reaped it, and the caller sees one completion.
/// </summary>
/// <remarks>
/// <para><b>Order on the descriptor.</b> While a send-all runs, another send, send-all, shutdown or
/// close on the same descriptor would interleave with its legs (or cut them off), so such an
/// operation is held inside the ring: its SQE is built and its buffer pinned at once, and it goes to
/// the kernel when the send-all ends, in submission order. Receives, polls and every other kind go
/// straight through. A held operation counts as in flight.</para>
/// <para><b>Cancel.</b> <see cref="SubmitCancel"/> or the async form's token cancels the leg in the
/// kernel, or, if the cancel lands between legs, stops the send-all before the next one; nothing is
/// re-armed after it. The completion is then <see cref="Errno.ECANCELED"/> with
/// <see cref="Completion.BytesSent"/> saying how much went out. A send-all held behind another is ended
/// without sending a byte.</para>
/// </remarks>
public sealed partial class Ring
{
    /// <summary>Marks a registered-file slot in a descriptor's ordering key, so that slot 3 and fd 3 do not share a queue.</summary>
    private const long RegisteredFileKey = 1L << 32;

    /// <summary>
    /// The descriptors a send-all is running on, each with the operations held behind it in
    /// submission order. Under the submit lock; empty (and never looked at) until the first send-all.
    /// </summary>
    private readonly Dictionary<long, Queue<OperationSlot>> _heldBehindSendAll = [];

    /// <summary>Send-alls whose next leg could not be submitted on the thread that reaped the last one; the next submitter sends them.</summary>
    private readonly ConcurrentQueue<OperationSlot> _legsLater = new();

    /// <summary>Descriptors whose send-all ended on a thread that could not submit what was held behind it; the next submitter lets them go.</summary>
    private readonly ConcurrentQueue<long> _releaseLater = new();

    /// <summary>
    /// Sends all of <paramref name="data"/> on <paramref name="fd"/>, through as many sends as the
    /// socket needs. The one completion, of kind <see cref="CompletionKind.SendAll"/>, has
    /// <see cref="Completion.Res"/> equal to the buffer's length; or the first error, with
    /// <see cref="Completion.BytesSent"/> the bytes sent before it. The data stays pinned, not copied,
    /// until then. <see cref="MessageFlags.NoSignal"/> is always added. See the type's remarks for
    /// ordering against other operations on the descriptor, and for cancelling.
    /// </summary>
    /// <param name="fd">The stream socket.</param>
    /// <param name="data">The bytes to send; may be empty.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags for every leg.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendAll(FileDescriptor fd, ReadOnlyMemory<byte> data, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendAll, userData, (fd, data, flags), PrepareSendAll);

    /// <summary>Sends all of <paramref name="data"/>; the async form of <see cref="SubmitSendAll"/>.</summary>
    /// <returns>The completion: the total on success, else the error and <see cref="Completion.BytesSent"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send-all (how much went out is lost with the exception; use <see cref="SubmitSendAll"/> to learn it).</exception>
    public ValueTask<Completion> SendAllAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.SendAll, (fd, data, flags), PrepareSendAll, cancellationToken);

    private static SendOperation PrepareSendAll(OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, MessageFlags Flags) a)
    {
        slot.SendAllLength = a.Data.Length;
        return new SendOperation(slot.Reference(a.Fd, "fd"), slot.Pin(a.Data), (uint)a.Data.Length, a.Flags | MessageFlags.NoSignal);
    }

    /// <summary>Whether an operation of <paramref name="kind"/> may have to wait behind a send-all (false at once while none runs).</summary>
    private bool MayBeHeld(CompletionKind kind) =>
        kind is CompletionKind.SendAll || (_heldBehindSendAll.Count != 0 && kind is CompletionKind.Send or CompletionKind.SendTo or CompletionKind.SendMsg
            or CompletionKind.SendZc or CompletionKind.SendMsgZc or CompletionKind.Shutdown or CompletionKind.Close);

    /// <summary>
    /// Under the submit lock, for an operation whose SQE is in <see cref="OperationSlot.BuiltEntry"/>:
    /// holds it (true) when a send-all runs on its descriptor; otherwise, if it is a send-all, records
    /// that one now runs there, and lets it go to the kernel (false).
    /// </summary>
    private bool HoldBehindSendAll(OperationSlot slot)
    {
        if (!MayBeHeld(slot.Kind))
        {
            return false;
        }

        var key = OrderingKey(slot.BuiltEntry);
        if (_heldBehindSendAll.TryGetValue(key, out var held))
        {
            held.Enqueue(slot);
            return true;
        }

        if (slot.Kind == CompletionKind.SendAll)
        {
            _heldBehindSendAll.Add(key, new Queue<OperationSlot>());
        }

        return false;
    }

    /// <summary>The descriptor an SQE acts on: its fd, or its registered-file slot (a close of a slot names it in <c>file_index</c>).</summary>
    private static long OrderingKey(in SubmissionQueueEntry entry)
    {
        if (entry.Opcode == (byte)RingOpcode.Close && entry.SpliceFdIn != 0)
        {
            return RegisteredFileKey | (entry.SpliceFdIn - 1);
        }

        return ((entry.Flags & (byte)SqeFlags.FixedFile) != 0 ? RegisteredFileKey : 0) | (uint)entry.Fd;
    }

    /// <summary>
    /// A send-all's leg completed: sends the rest (true: nothing for the caller yet) or, when the
    /// buffer is through, a leg failed or a cancel was asked for, builds the one completion (false)
    /// and lets the operations held behind it go.
    /// </summary>
    private bool ContinueSendAll(OperationSlot slot, in CompletionQueueEntry entry, out Completion completion)
    {
        var result = entry.Result;
        if (result > 0)
        {
            slot.SendAllSent += result;
        }

        // A leg that sent nothing of a non-empty rest would only be sent again the same way. A closing
        // ring stops a send-all as a cancel does.
        var stopped = slot.CancelRequested || IsClosed;
        if (result > 0 && slot.SendAllSent < slot.SendAllLength && !stopped)
        {
            SubmitNextLeg(slot);
            completion = default;
            return true;
        }

        var sent = slot.SendAllSent;
        var res = result < 0 ? result : stopped && sent < slot.SendAllLength ? -(int)Errno.ECANCELED : sent;
        completion = new Completion(slot.UserData, res, entry.Flags, slot.Sequence, CompletionKind.SendAll, res < 0 ? sent : null);
        ReleaseHeld(OrderingKey(slot.BuiltEntry));
        return false;
    }

    /// <summary>Submits the next leg, from the first byte not yet sent, with the slot's token; from a thread that may not submit, leaves it to the next one that does.</summary>
    private void SubmitNextLeg(OperationSlot slot)
    {
        if (!MaySubmitHere)
        {
            _legsLater.Enqueue(slot);
            return;
        }

        lock (_submitLock)
        {
            if (!TryPrepareNextLeg(slot))
            {
                _legsLater.Enqueue(slot); // the SQ stayed full: the next flush, or the next wait, sends it
            }

            _raw.Submit();
        }
    }

    private bool TryPrepareNextLeg(OperationSlot slot)
    {
        var leg = slot.BuiltEntry;
        leg.Address += (ulong)slot.SendAllSent;
        leg.Length -= (uint)slot.SendAllSent;
        if (_raw.TryPrepare(leg))
        {
            return true;
        }

        _raw.Submit();
        return _raw.TryPrepare(leg);
    }

    /// <summary>A send-all on descriptor <paramref name="key"/> ended: submits what was held behind it, in order, up to the next send-all (which then runs).</summary>
    private void ReleaseHeld(long key)
    {
        if (!MaySubmitHere)
        {
            _releaseLater.Enqueue(key);
            return;
        }

        lock (_submitLock)
        {
            if (!TryReleaseHeld(key))
            {
                _releaseLater.Enqueue(key);
            }

            _raw.Submit();
        }
    }

    /// <summary>Under the submit lock: false when the SQ filled up before everything held was queued (the rest stays held, first in line).</summary>
    private bool TryReleaseHeld(long key)
    {
        if (!_heldBehindSendAll.TryGetValue(key, out var held))
        {
            return true;
        }

        while (held.TryPeek(out var next))
        {
            if (next.Kind == CompletionKind.SendAll && next.CancelRequested)
            {
                next.BuiltEntry.Length = 0; // cancelled while held: one empty leg ends it without sending
            }

            if (!TryPrepareBuilt(next))
            {
                _raw.Submit();
                if (!TryPrepareBuilt(next))
                {
                    return false;
                }
            }

            held.Dequeue();
            if (next.Kind == CompletionKind.SendAll)
            {
                return true; // it runs now; the rest wait for it
            }
        }

        _heldBehindSendAll.Remove(key);
        return true;
    }

    private bool HasSendAllWorkLater => !_legsLater.IsEmpty || !_releaseLater.IsEmpty;

    /// <summary>On a thread that may submit: sends what <see cref="DrainSendAllWorkLater"/> finds.</summary>
    private void SubmitSendAllWorkLater()
    {
        lock (_submitLock)
        {
            if (!IsClosed)
            {
                DrainSendAllWorkLater();
                _raw.Submit();
            }
        }
    }

    /// <summary>Under the submit lock: the legs and the releases that reapers left for a thread that may submit.</summary>
    private void DrainSendAllWorkLater()
    {
        for (var count = _legsLater.Count; count > 0 && _legsLater.TryDequeue(out var slot); count--)
        {
            if (!TryPrepareNextLeg(slot))
            {
                _legsLater.Enqueue(slot);
                return;
            }
        }

        for (var count = _releaseLater.Count; count > 0 && _releaseLater.TryDequeue(out var key); count--)
        {
            if (!TryReleaseHeld(key))
            {
                _releaseLater.Enqueue(key);
                return;
            }
        }
    }

    /// <summary>
    /// Records a cancel asked for <paramref name="target"/>, for the ring's own bookkeeping: a
    /// send-all checks it before each next leg, and one held behind another is ended unsent.
    /// </summary>
    private void NoteCancel(ulong target)
    {
        if (_slots.TryResolve(target, out var slot) && slot.Kind == CompletionKind.SendAll)
        {
            slot.RequestCancel((uint)(target >> 32));
        }
    }

    /// <summary>
    /// At dispose, under the submit lock: fails what never reached the kernel (operations held behind
    /// a send-all, legs left for later); their slots are free at once.
    /// </summary>
    private void AbortHeldBehindSendAll()
    {
        foreach (var held in _heldBehindSendAll.Values)
        {
            while (held.TryDequeue(out var slot))
            {
                AbortUnsubmitted(slot);
            }
        }

        _heldBehindSendAll.Clear();
        while (_legsLater.TryDequeue(out var slot))
        {
            AbortUnsubmitted(slot);
        }

        _releaseLater.Clear();
    }
}
