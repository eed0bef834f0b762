using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary><c>user_data</c> of the completions <see cref="RingWaker"/> posts. No slot index reaches this value.</summary>
    private const ulong WakeToken = ulong.MaxValue;

    /// <summary><c>user_data</c> of the cancel-everything request <see cref="Dispose"/> submits.</summary>
    private const ulong CancelAllToken = ulong.MaxValue - 1;

    /// <summary>The managed thread allowed to submit under SingleIssuer; 0 when any thread may.</summary>
    private int _submitterThreadId;

    /// <summary>False until the ring is enabled (RDisabled rings), so no SQE is prepared before the kernel would accept it.</summary>
    private bool _submissionsEnabled;

    /// <summary>
    /// Submits a no-op; its completion carries <paramref name="userData"/> and result 0. Useful to
    /// measure the ring and to post a marker into the completion stream.
    /// </summary>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public OperationHandle SubmitNop(object? userData = null)
    {
        return Submit(CompletionKind.Nop, userData, 0, static (OperationSlot _, in int _) => new NopOperation());
    }

    /// <summary>
    /// Asks the kernel to cancel <paramref name="operation"/>. The cancelled operation still posts its own
    /// completion (with <see cref="Errno.ECANCELED"/> if the cancel won the race); this request's own
    /// completion, of kind <see cref="CompletionKind.Cancel"/>, carries <paramref name="userData"/> and
    /// res 0, or ENOENT when the operation had already completed, or EALREADY when it was running.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is default or belongs to another ring.</exception>
    public OperationHandle SubmitCancel(OperationHandle operation, object? userData = null)
    {
        RequireOwnHandle(operation);
        NoteCancel(operation.Token);
        return Submit(CompletionKind.Cancel, userData, operation.Token, static (OperationSlot _, in ulong target) => new CancelOperation(target));
    }

    /// <summary>
    /// Asks the kernel to cancel every operation in flight on this ring
    /// (<c>IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL</c>, 5.19+). Each cancelled operation
    /// still posts its own final completion (<see cref="Errno.ECANCELED"/>, or its ordinary result
    /// if it finished first), so its buffers stay owned until then. This request's own completion,
    /// of kind <see cref="CompletionKind.Cancel"/>, carries <paramref name="userData"/> and the number
    /// of operations cancelled (0 when nothing was in flight). Use it to stop everything and keep
    /// the completions — <see cref="Dispose"/> cancels too, but drops them.
    /// </summary>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public OperationHandle SubmitCancelAll(object? userData = null)
    {
        return Submit(CompletionKind.Cancel, userData, 0, static (OperationSlot _, in int _) => new CancelOperation(0, All: true));
    }

    /// <summary>Refuses a default handle or one another ring returned, naming the argument.</summary>
    private void RequireOwnHandle(OperationHandle handle, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(handle))] string? parameterName = null)
    {
        if (!handle.IsValid)
        {
            throw new ArgumentException("The operation handle is default; pass the handle a Submit call returned.", parameterName);
        }

        if (!ReferenceEquals(handle.Ring, this))
        {
            throw new ArgumentException("The operation handle belongs to another ring; use it on the ring that submitted it.", parameterName);
        }
    }

    /// <summary>Builds an operation from its arguments, referencing and pinning what it lends the kernel in <paramref name="slot"/>; may throw for bad arguments.</summary>
    private delegate TOp Preparation<TArguments, TOp>(OperationSlot slot, in TArguments arguments);

    /// <summary>
    /// The one path every object-API submission takes: rent a slot, let <paramref name="prepare"/>
    /// reference the descriptor, pin the buffers and fill the slot's native block, then submit. If
    /// anything throws before the SQE is queued, the slot and everything it took are released.
    /// With a <paramref name="deadline"/> (checked by <see cref="RequireDeadline"/>) the operation is
    /// linked to a timeout that cancels it once the deadline has passed.
    /// </summary>
    private OperationHandle Submit<TArguments, TOp>(CompletionKind kind, object? userData, in TArguments arguments, Preparation<TArguments, TOp> prepare, TimeSpan? deadline = null, int baseSequence = 0)
        where TOp : struct, IRingOperation
    {
        var slot = Rent(kind, userData);
        try
        {
            slot.StartSequenceAt(baseSequence);
            if (deadline is { } timeout)
            {
                slot.ArmDeadline(timeout);
            }

            return Submit(slot, prepare(slot, arguments));
        }
        catch when (!slot.Submitted)
        {
            ReleaseSlot(slot);
            throw;
        }
    }

    /// <summary>How long a submit on a full SQPOLL ring waits for the kernel's thread to take entries.</summary>
    private static readonly TimeSpan SqPollPatience = TimeSpan.FromMilliseconds(10);

    /// <summary>A multishot's first sequence number: 0 or more.</summary>
    private static int RequireBaseSequence(int baseSequence, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(baseSequence))] string? parameterName = null) =>
        baseSequence >= 0 ? baseSequence : throw new ArgumentOutOfRangeException(parameterName, baseSequence, "The first leg's sequence number must not be negative; 0 starts a new stream, the next number continues one.");

    /// <summary>Takes a slot for a new operation, or throws the backpressure or closed-ring exception.</summary>
    private OperationSlot Rent(CompletionKind kind, object? userData)
    {
        ThrowIfClosed();
        var slot = _slots.TryRent() ?? (TryGrow() ? _slots.TryRent() : null);
        if (slot is null)
        {
            UringMetrics.Add(UringMetrics.Backpressure, 1, _ringTag);
            throw new SubmissionQueueFullException(
                $"{_slots.Capacity} operations are in flight, the ring's MaxInFlight; reap completions with Wait() and retry.",
                inFlightLimitReached: true);
        }

        if (IsClosed)
        {
            // Dispose started after the check above. It counts rented slots after marking the ring
            // closed (both fenced), so either it waits for this slot or this check sees the mark.
            _slots.Return(slot);
            ThrowIfClosed();
        }

        slot.Begin(kind, userData);
        return slot;
    }

    /// <summary>
    /// Writes <paramref name="operation"/> into an SQE under the submit lock, tagged with the slot's
    /// token — followed by its linked timeout when the slot has a deadline (see <see cref="TryPrepare{TOp}"/>) —
    /// and (with <see cref="AutoSubmit"/>) hands it to the kernel. The caller releases the
    /// slot if this throws before <see cref="OperationSlot.Submitted"/> is set; after that, only the
    /// operation's final completion releases it.
    /// </summary>
    private OperationHandle Submit<TOp>(OperationSlot slot, in TOp operation)
        where TOp : struct, IRingOperation
    {
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            if (HasDeferredWork)
            {
                DrainDeferredWork();
            }

            if (MayBeHeld(slot.Kind))
            {
                Build(slot, operation);
                if (HoldBehindSendAll(slot))
                {
                    return Accepted(slot);
                }
            }

            if (!TryPrepare(slot, operation))
            {
                // Make room by handing the prepared work to the kernel, as the seed does. An SQPOLL
                // ring's kernel thread takes it on its own time: give it a moment, never forever.
                _raw.Submit();
                if (!TryPrepare(slot, operation) && !(_raw.WaitForSubmissionSpace(SqPollPatience) && TryPrepare(slot, operation)))
                {
                    throw new SubmissionQueueFullException(
                        $"The submission queue's {_raw.SqEntries} entries are still taken after flushing them to the kernel; reap completions and retry.");
                }
            }

            var handle = Accepted(slot); // before the flush: if it throws, the SQE is the kernel's all the same
            if (_autoSubmit)
            {
                _raw.Submit();
                ReleaseDescriptorsTaken();
            }

            return handle;
        }
    }

    /// <summary>Marks the slot's operation as the kernel's (or held for it): from here only its final completion frees the slot.</summary>
    private OperationHandle Accepted(OperationSlot slot)
    {
        slot.Submitted = true;
        if (UringMetrics.Submitted.Enabled)
        {
            UringMetrics.Add(UringMetrics.Submitted, slot.Kind, _ringTag);
        }

        return new OperationHandle(this, slot.Token, slot.Kind);
    }

    /// <summary>Starts accepting submissions and records the SingleIssuer submitter.</summary>
    private void StartSubmitting()
    {
        lock (_submitLock)
        {
            if ((_raw.Flags & RingSetupFlags.SingleIssuer) != 0)
            {
                _submitterThreadId = Environment.CurrentManagedThreadId;
            }

            _submissionsEnabled = true;
        }
    }

    /// <summary>True when the calling thread may submit (always, unless SingleIssuer names another thread).</summary>
    private bool MaySubmitHere =>
        _submissionsEnabled && (_submitterThreadId == 0 || _submitterThreadId == Environment.CurrentManagedThreadId);

    private void ThrowIfNotSubmitter()
    {
        if (!_submissionsEnabled)
        {
            throw new InvalidOperationException("The ring was created with RingSetupFlags.RDisabled; call Enable() before submitting.");
        }

        if (_submitterThreadId != 0 && _submitterThreadId != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                $"This ring was created with RingSetupFlags.SingleIssuer and belongs to managed thread {_submitterThreadId}; the kernel refuses submissions from other threads (EEXIST). Submit from the owning thread, or create the ring without SingleIssuer.");
        }
    }
}
