using System.Diagnostics;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>Rings whose drain timed out, kept reachable so the memory the kernel may still write is never collected.</summary>
    private static readonly List<List<OperationSlot>> Leaked = [];

    /// <summary>
    /// Closes the ring safely: refuses new submissions, cancels every operation in flight, waits for
    /// each one's final completion (up to <see cref="RingOptions.DrainTimeout"/>), then releases pins,
    /// descriptor references and the rings. Wakes a thread blocked in <see cref="Wait"/> (it returns
    /// null). Idempotent. If operations do not drain in time — a zero-copy send whose peer never reads
    /// cannot finish, for example — their buffers stay pinned and their native memory allocated
    /// forever (leaked, never freed under the kernel), and the leak is logged and counted in
    /// <see cref="Diagnostics"/>. Their socket references are returned, so the sockets can still be
    /// closed: the kernel keeps its own reference to the file.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Workers are serving completions; or a SingleIssuer ring with operations in flight, disposed from a thread that is not its submitter
    /// (only the submitter can cancel them); nothing was changed.
    /// </exception>
    public void Dispose()
    {
        if (IsServing && !IsClosed)
        {
            throw new InvalidOperationException("Workers are serving this ring's completions; StopServing(), join them (or dispose the CompletionThread), then dispose the ring.");
        }

        lock (_submitLock)
        {
            if (_state != Open)
            {
                return;
            }

            if (_slots.InUse > 0 && !MaySubmitHere && _submissionsEnabled)
            {
                throw new InvalidOperationException(
                    $"This SingleIssuer ring has {_slots.InUse} operations in flight and only its submitter thread ({_submitterThreadId}) can cancel them; dispose it on that thread.");
            }

            Interlocked.Exchange(ref _state, Closing); // a full fence: see Rent
            AbortForwarded();
            AbortHeldBehindSendAll();
            if (_slots.InUse > 0 && _submissionsEnabled)
            {
                CancelEverything();
            }
        }

        if (_submissionsEnabled)
        {
            _wake.Wake(); // a thread blocked in Wait returns null and sees the ring closed
        }

        bool drained;
        lock (_waitLock)
        {
            drained = Drain();
            Volatile.Write(ref _state, Closed);
        }

        if (!drained)
        {
            var stuck = _slots.SnapshotInUse();
            foreach (var slot in stuck)
            {
                slot.ReleaseDescriptor();
            }

            lock (Leaked)
            {
                Leaked.Add(stuck);
            }

            RingLog.DrainTimedOut(_logger, _raw.Fd, stuck.Count, _drainTimeout);
        }
        else
        {
            RetirePools();
            if (MaySubmitHere)
            {
                UnregisterDeferredBufferRings();
            }

            _slots.FreeScratch();
        }

        _wake.Dispose();
        _raw.Dispose();
        lock (_submitLock)
        {
            ReleaseDescriptorsTaken(); // what the kernel had not taken, it never will now
        }

        if (drained)
        {
            ForgetDeferredBufferRings(); // those a foreign thread could not unregister above
        }
    }

    /// <summary>
    /// Cancels every operation in flight and keeps the ring open: each one still posts its final
    /// completion, which <see cref="Wait"/> returns as usual — what a ring owner that is about to
    /// give up a ring does so that every operation's owner hears how it ended. Takes no slot, so it
    /// works at the in-flight limit; its own completion is consumed inside the ring. On the
    /// submitter thread of a SingleIssuer ring.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    internal void CancelInFlight()
    {
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            CancelEverything();
        }
    }

    /// <summary>Submits one request that cancels every request in the ring (5.19+). Called under the submit lock.</summary>
    private void CancelEverything()
    {
        try
        {
            var cancel = new CancelOperation(0, All: true);
            if (!_raw.TryPrepare(cancel, CancelAllToken))
            {
                _raw.Submit();
                _raw.TryPrepare(cancel, CancelAllToken);
            }

            _raw.Submit();
        }
        catch (UringException e)
        {
            // Without the cancel, operations can still complete on their own within the drain timeout.
            RingLog.CancelAtDisposeFailed(_logger, e, _raw.Fd);
        }
    }

    /// <summary>
    /// Reaps (and drops) completions until no slot is in use or the drain timeout passes. Called under
    /// the wait lock. Waits in short slices: a slot rented by a submitter racing this dispose produces
    /// no completion — its submitter gives it back when it finds the ring closed.
    /// </summary>
    private bool Drain()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_drainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            while (_raw.TryPeekCompletion(out var entry))
            {
                _raw.AdvanceCompletions(1);
                if (Reap(entry, serving: false, out var dropped, out _) == Reaped.Delivered)
                {
                    dropped.Lease?.Dispose(); // a leased leg reaped while closing has no receiver
                }
            }

            if (_slots.InUse == 0)
            {
                return true;
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            _raw.WaitForCompletions(1, remaining < DrainSlice ? remaining : DrainSlice);
        }
    }

    private static readonly TimeSpan DrainSlice = TimeSpan.FromMilliseconds(20);
}
