using System.Collections.Concurrent;
using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary><c>user_data</c> of cancel requests made for awaited operations (no slot: their own CQE is ignored).</summary>
    private const ulong InternalCancelToken = ulong.MaxValue - 2;

    /// <summary>Async operations whose SQE another thread built, waiting for the completion thread to submit them.</summary>
    private readonly ConcurrentQueue<OperationSlot> _forwarded = new();

    /// <summary>Operations to cancel, waiting for a thread that may submit.</summary>
    private readonly ConcurrentQueue<ulong> _cancelLater = new();

    private readonly Stack<OperationCompletionSource> _awaiters = new();
    private readonly Lock _awaitersLock = new();

    /// <summary>A forwarded slot that did not fit in the SQ; first in line next time. Completion thread only.</summary>
    private OperationSlot? _forwardBacklog;

    private int _completionThreadId;
    private int _forwardSignalled;

    /// <summary>
    /// Starts a <see cref="CompletionThread"/>: a dedicated thread that serves completions (calling
    /// <see cref="Callback"/> for submitted operations, completing awaiters for async ones) and
    /// submits the async operations other threads start, so they never belong to a short-lived
    /// thread-pool thread. Dispose it before the ring.
    /// </summary>
    /// <exception cref="InvalidOperationException">Workers already serve this ring, or the ring is SingleIssuer (its submitter is the thread that created it).</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    public CompletionThread StartCompletionThread()
    {
        ThrowIfClosed();
        if (IsServing)
        {
            throw new InvalidOperationException("Workers already serve this ring's completions; stop them before starting a CompletionThread.");
        }

        if (_submitterThreadId != 0)
        {
            throw new InvalidOperationException("A SingleIssuer ring can only submit from the thread that created it, so a CompletionThread cannot submit for it; create the ring without SingleIssuer.");
        }

        return new CompletionThread(this);
    }

    /// <summary>True when async submissions from this thread go through the completion thread.</summary>
    private bool ShouldForward
    {
        get
        {
            var loop = Volatile.Read(ref _completionThreadId);
            return loop != 0 && loop != Environment.CurrentManagedThreadId;
        }
    }

    /// <summary>The completion thread's body: record who it is, then serve with forwarding.</summary>
    internal void RunCompletionThread(ManualResetEventSlim started)
    {
        Volatile.Write(ref _completionThreadId, Environment.CurrentManagedThreadId);
        Interlocked.Increment(ref _servingWorkers);
        started.Set();
        try
        {
            Serve(forwarding: true);
        }
        catch (ObjectDisposedException)
        {
            // The ring closed before the thread got going: nothing to serve.
        }
        finally
        {
            Interlocked.Decrement(ref _servingWorkers);
        }
    }

    /// <summary>After the completion thread exited: nobody submits forwarded operations any more; fail the ones left.</summary>
    internal void CompletionThreadStopped()
    {
        Volatile.Write(ref _completionThreadId, 0);
        AbortForwarded();
        ResetServing();
    }

    /// <summary>Cancels operation <paramref name="target"/> from any thread: directly when this thread may submit, else through a thread that may.</summary>
    internal void CancelFromAnyThread(ulong target)
    {
        if (IsClosed)
        {
            return; // Dispose cancels everything
        }

        NoteCancel(target);

        if (ShouldForward || !MaySubmitHere)
        {
            _cancelLater.Enqueue(target);
            SignalCompletionThread();
            return;
        }

        try
        {
            lock (_submitLock)
            {
                if (!IsClosed)
                {
                    PrepareCancel(target);
                    _raw.Submit();
                }
            }
        }
        catch (UringException)
        {
            _cancelLater.Enqueue(target); // the SQ stayed full: the next submission retries
        }
    }

    /// <summary>Queues an async operation's SQE, built on this thread, for the completion thread.</summary>
    private void Forward<TOp>(OperationSlot slot, in TOp operation)
        where TOp : struct, IRingOperation
    {
        ThrowIfClosed();
        Build(slot, operation);
        slot.Submitted = true;
        _forwarded.Enqueue(slot);
        SignalCompletionThread();
        if (Volatile.Read(ref _completionThreadId) == 0)
        {
            AbortForwarded(); // the thread stopped meanwhile: nobody will submit it
        }
    }

    /// <summary>Builds <paramref name="operation"/>'s SQE into the slot's <see cref="OperationSlot.BuiltEntry"/>, tagged with its token (and IO_LINK when it has a deadline), to be submitted later by <see cref="TryPrepareBuilt"/>.</summary>
    private static void Build<TOp>(OperationSlot slot, in TOp operation)
        where TOp : struct, IRingOperation
    {
        ref var entry = ref slot.BuiltEntry;
        entry = default;
        entry.Opcode = (byte)TOp.Opcode;
        operation.Prepare(ref entry);
        entry.Flags |= (byte)slot.SqeFlags;
        if (slot.HasDeadline)
        {
            entry.Flags |= (byte)SqeFlags.IoLink; // added to the flags Prepare set (BufferSelect…)
        }

        entry.UserData = slot.Token;
    }

    private void SignalCompletionThread()
    {
        if (Volatile.Read(ref _completionThreadId) != 0 && Interlocked.Exchange(ref _forwardSignalled, 1) == 0)
        {
            _wake.Wake();
        }
    }

    /// <summary>On the completion thread: submits everything forwarded to it, in one flush.</summary>
    private void SubmitForwarded()
    {
        Volatile.Write(ref _forwardSignalled, 0);
        if (_forwardBacklog is null && _forwarded.IsEmpty && _cancelLater.IsEmpty)
        {
            return;
        }

        lock (_submitLock)
        {
            if (IsClosed)
            {
                return;
            }

            while ((_forwardBacklog ?? (_forwarded.TryDequeue(out var next) ? next : null)) is { } slot)
            {
                var fresh = _forwardBacklog is null; // a backlogged slot passed the send-all check already
                _forwardBacklog = null;
                if (fresh && HoldBehindSendAll(slot))
                {
                    continue;
                }

                if (!TryPrepareBuilt(slot))
                {
                    _raw.Submit();
                    if (!TryPrepareBuilt(slot))
                    {
                        _forwardBacklog = slot;
                        SignalCompletionThread(); // come back once the kernel made room
                        break;
                    }
                }
            }

            DrainDeferredWork();
            _raw.Submit();
            ReleaseDescriptorsTaken();
        }
    }

    /// <summary>Fails forwarded operations no thread will submit: they never reached the kernel, so their slots are free at once.</summary>
    private void AbortForwarded()
    {
        while ((Interlocked.Exchange(ref _forwardBacklog, null) ?? (_forwarded.TryDequeue(out var next) ? next : null)) is { } slot)
        {
            AbortUnsubmitted(slot);
        }
    }

    /// <summary>Frees the slot of an operation that never reached the kernel, telling its awaiter or stream it was cancelled.</summary>
    private void AbortUnsubmitted(OperationSlot slot)
    {
        var awaiter = slot.Awaiter;
        var stream = slot.Stream;
        var cancelled = new Completion(null, -(int)Errno.ECANCELED, CompletionFlags.None, 0, slot.Kind);
        ReleaseSlot(slot);
        awaiter?.Complete(cancelled);
        stream?.TryWrite(cancelled);
    }

    /// <summary>Work other threads left for a thread that may submit: cancels and buffer-ring unregistrations. Under the submit lock.</summary>
    /// <summary>
    /// Work that only the submitting thread may do is waiting — buffer rings to unregister and
    /// cancels to prepare, left by completions reaped on another thread of a
    /// <see cref="RingSetupFlags.SingleIssuer"/> ring. Any submission or <see cref="Flush"/> on the
    /// submitting thread does it; a reaper that sees this tells the submitter to flush, so that an
    /// idle ring does not keep buffer rings registered.
    /// </summary>
    public bool HasDeferredWork => !_unregisterLater.IsEmpty || !_cancelLater.IsEmpty || HasSendAllWorkLater;

    private void DrainDeferredWork()
    {
        DrainSendAllWorkLater();
        while (_cancelLater.TryDequeue(out var target))
        {
            if (!PrepareCancel(target))
            {
                _cancelLater.Enqueue(target);
                break;
            }
        }

        UnregisterDeferredBufferRings();
    }

    private bool PrepareCancel(ulong target)
    {
        var cancel = new CancelOperation(target);
        if (_raw.TryPrepare(cancel, InternalCancelToken))
        {
            return true;
        }

        _raw.Submit();
        return _raw.TryPrepare(cancel, InternalCancelToken);
    }

    private OperationCompletionSource RentAwaiter()
    {
        lock (_awaitersLock)
        {
            if (_awaiters.TryPop(out var awaiter))
            {
                return awaiter;
            }
        }

        return new OperationCompletionSource(this, _inlineContinuations);
    }

    internal void ReturnAwaiter(OperationCompletionSource awaiter)
    {
        lock (_awaitersLock)
        {
            if (_awaiters.Count < _slots.Capacity)
            {
                _awaiters.Push(awaiter);
            }
        }
    }
}
