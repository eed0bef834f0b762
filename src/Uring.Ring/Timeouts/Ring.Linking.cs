using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Set in the <c>user_data</c> of an operation's linked timeout: the rest is the operation's own
    /// token. Slot indexes stay below <see cref="RingOptions.MaxInFlightLimit"/> (2^20), so no slot
    /// token has this bit; the reserved tokens (<see cref="WakeToken"/>…) have it and are matched first.
    /// </summary>
    private const ulong LinkTimeoutTag = 1UL << 31;

    /// <summary>
    /// Queues <paramref name="operation"/> with the slot's token; with a deadline, also its
    /// LINK_TIMEOUT right behind it. Both SQEs are reserved together under the submit lock, so the
    /// operation never reaches the kernel without its timeout and no batch ends on a dangling
    /// IO_LINK. Returns false, queuing nothing, when the SQ has no room for all of them.
    /// </summary>
    private bool TryPrepare<TOp>(OperationSlot slot, in TOp operation)
        where TOp : struct, IRingOperation
    {
        if (!slot.HasDeadline)
        {
            return _raw.TryPrepare(operation, slot.Token, slot.SqeFlags);
        }

        // Only this thread (holding the submit lock) takes SQEs, and the kernel only frees them: room
        // for two now is room for two below.
        if (_raw.SubmissionSpace < 2)
        {
            return false;
        }

        _raw.TryPrepare(operation, slot.Token, slot.SqeFlags | SqeFlags.IoLink);
        _raw.TryPrepare(new LinkTimeoutOperation(slot.DeadlineTimespec), slot.Token | LinkTimeoutTag);
        return true;
    }

    /// <summary>The forwarded counterpart of <see cref="TryPrepare{TOp}"/>: the SQE was built on another thread (with IO_LINK when it has a deadline).</summary>
    private bool TryPrepareBuilt(OperationSlot slot)
    {
        if (!slot.HasDeadline)
        {
            return _raw.TryPrepare(slot.BuiltEntry);
        }

        if (_raw.SubmissionSpace < 2)
        {
            return false;
        }

        _raw.TryPrepare(slot.BuiltEntry);
        _raw.TryPrepare(new LinkTimeoutOperation(slot.DeadlineTimespec), slot.Token | LinkTimeoutTag);
        return true;
    }

    /// <summary>A linked timeout's CQE: recorded in its operation's slot, never delivered on its own.</summary>
    private Reaped ReapLinkTimeout(in CompletionQueueEntry entry, out Completion completion)
    {
        completion = default;
        if (!_slots.TryResolve(entry.UserData & ~LinkTimeoutTag, out var slot) || !slot.HasDeadline || slot.DeadlineSeen)
        {
            Interlocked.Increment(ref _staleCompletions);
            return Reaped.Internal;
        }

        slot.DeadlineSeen = true;
        slot.DeadlineResult = entry.Result;
        return DeliverDeadlineOperation(slot, out completion);
    }

    /// <summary>The CQE of an operation with a deadline: its completion is built now (the slot's native block is still valid) and kept until the timeout's CQE.</summary>
    private Reaped ReapDeadlineOperation(OperationSlot slot, in CompletionQueueEntry entry, out Completion completion)
    {
        slot.ResultSeen = true;
        slot.Result = slot.Complete(entry, entry.Result < 0 ? null : ResultOf(slot, entry.Result));
        return DeliverDeadlineOperation(slot, out completion);
    }

    /// <summary>
    /// Once both CQEs of an operation with a deadline have arrived, in whichever order, frees the
    /// slot and delivers the operation's completion — marked <see cref="Completion.TimedOut"/> when
    /// the timeout fired (ETIME) and the operation ended cancelled — to its awaiter or to the
    /// reaping caller. Waiting for both is what makes <see cref="Completion.TimedOut"/> exact, and the
    /// timespec and pins stay in place until the kernel has finished with both requests.
    /// </summary>
    private Reaped DeliverDeadlineOperation(OperationSlot slot, out Completion completion)
    {
        completion = default;
        if (!slot.ResultSeen || !slot.DeadlineSeen)
        {
            return Reaped.Internal;
        }

        var result = slot.Result;
        if (result.Error == Errno.ECANCELED && slot.DeadlineResult == -(int)Errno.ETIME)
        {
            result = result.AsTimedOut();
        }

        if (UringMetrics.Completed.Enabled)
        {
            UringMetrics.Add(UringMetrics.Completed, slot.Kind, _ringTag);
        }

        var awaiter = slot.Awaiter;
        ReleaseSlot(slot);
        if (awaiter is not null)
        {
            awaiter.Complete(result);
            return Reaped.Internal;
        }

        completion = result;
        return Reaped.Delivered;
    }
}
