using System.Diagnostics;
using Uring.Native;

namespace Uring;

public sealed partial class Ring
{
    private long _staleCompletions;
    private volatile bool _waitingInKernel;

    /// <summary>What reaping one CQE amounted to.</summary>
    private enum Reaped
    {
        /// <summary>Consumed internally (a zero-copy notification, a wake poll ending, a stale completion).</summary>
        Internal,
        /// <summary>A completion for the caller.</summary>
        Delivered,
        /// <summary>A <see cref="BreakWait"/> wake-up.</summary>
        Woken,
    }

    /// <summary>Whether the kernel may hold completion work that only an <c>io_uring_enter</c> from this ring's submitter runs (DeferTaskrun; TaskrunFlag narrows it to when the kernel says so).</summary>
    private bool MayHoldDeferredWork =>
        (Flags & RingSetupFlags.DeferTaskrun) != 0 && ((Flags & RingSetupFlags.TaskrunFlag) == 0 || _raw.TaskWorkPending);

    /// <summary>True while a <see cref="Wait"/> call is blocked in the kernel (a diagnostic for tests).</summary>
    internal bool IsWaitingInKernel => _waitingInKernel;

    /// <summary>Completions whose slot had already moved on (never delivered); a diagnostic that stays 0 in a correct program.</summary>
    public long StaleCompletions => Interlocked.Read(ref _staleCompletions);

    /// <summary>
    /// Returns the next completion, or null when <paramref name="timeout"/> elapses, when
    /// <see cref="BreakWait"/> woke the wait, or when the ring is being closed.
    /// </summary>
    /// <param name="timeout">Null blocks until a completion arrives; <see cref="TimeSpan.Zero"/> only looks (on a <see cref="RingSetupFlags.DeferTaskrun"/> ring whose CQ is empty it first lets the kernel run its deferred completion work, which costs one <c>io_uring_enter</c> unless <see cref="RingSetupFlags.TaskrunFlag"/> says none is waiting); a positive value waits at most that long.</param>
    /// <remarks>Concurrent calls are serialised: one waits in the kernel, the others queue, and each completion goes to exactly one caller. Signals (EINTR) are retried with the remaining time.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    public Completion? Wait(TimeSpan? timeout = null)
    {
        var deadline = WaitDeadline(timeout);
        lock (_waitLock)
        {
            ThrowIfClosed();
            return TakeNext(deadline, serving: false, out var completion, out _) ? completion : null;
        }
    }

    /// <summary>
    /// Fills <paramref name="completions"/> with up to its length of completions in one call: waits
    /// as <see cref="Wait(TimeSpan?)"/> does for the first, then takes only those already posted, so
    /// a burst costs one call, not one per completion. Returns how many it wrote: 0 when
    /// <paramref name="timeout"/> elapsed, <see cref="BreakWait"/> woke the wait, or the ring is closing.
    /// </summary>
    /// <param name="completions">Where to put them; at least one element.</param>
    /// <param name="timeout">As for <see cref="Wait(TimeSpan?)"/>: null blocks, <see cref="TimeSpan.Zero"/> only looks.</param>
    /// <exception cref="ArgumentException"><paramref name="completions"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    public int WaitMany(Span<Completion> completions, TimeSpan? timeout = null)
    {
        if (completions.IsEmpty)
        {
            throw new ArgumentException("The span must hold at least one completion.", nameof(completions));
        }

        var deadline = WaitDeadline(timeout);
        lock (_waitLock)
        {
            ThrowIfClosed();
            if (!TakeNext(deadline, serving: false, out completions[0], out _))
            {
                return 0;
            }

            var count = 1;
            while (count < completions.Length && _raw.CompletionsReady > 0 && TakeNext(Stopwatch.GetTimestamp(), serving: false, out completions[count], out _))
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>Checks a wait can start (timeout not negative, ring open, no workers serving) and returns its <see cref="Stopwatch"/> deadline, or <see cref="long.MaxValue"/> for none.</summary>
    private long WaitDeadline(TimeSpan? timeout, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(timeout))] string? parameterName = null)
    {
        if (timeout is { } t && t < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, t, "The timeout must not be negative; pass null to wait without a limit or TimeSpan.Zero to only look.");
        }

        ThrowIfClosed();
        ThrowIfServing();
        return timeout is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
    }

    /// <summary>
    /// Reaps CQEs until one is for the caller (true), a wake-up arrives, the ring closes or the
    /// deadline passes (false); waits in the kernel when the CQ is empty. Called under the wait lock,
    /// so exactly one thread at a time is here. Completions of awaited operations go to their
    /// awaiters and the loop goes on.
    /// </summary>
    /// <param name="deadline">A <see cref="Stopwatch"/> timestamp, or <see cref="long.MaxValue"/> for none.</param>
    /// <param name="serving">Worker mode: a multishot leg comes back with its <paramref name="orderedSlot"/> so the worker can order its callback and free the slot after the final one.</param>
    /// <param name="completion">The completion, when true.</param>
    /// <param name="orderedSlot">In worker mode, the multishot operation the completion belongs to.</param>
    private bool TakeNext(long deadline, bool serving, out Completion completion, out OperationSlot? orderedSlot)
    {
        var deferredWorkRun = false;
        while (true)
        {
            while (_raw.TryPeekCompletion(out var entry))
            {
                _raw.AdvanceCompletions(1);
                switch (Reap(entry, serving, out completion, out orderedSlot))
                {
                    case Reaped.Delivered:
                        return true;
                    case Reaped.Woken:
                        return false;
                }
            }

            completion = default;
            orderedSlot = null;
            if (IsClosed)
            {
                return false;
            }

            TimeSpan? remaining = null;
            if (deadline != long.MaxValue)
            {
                remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    if (deferredWorkRun || !MayHoldDeferredWork)
                    {
                        return false;
                    }

                    // DeferTaskrun: finished I/O becomes a completion only when the submitter enters
                    // the kernel to reap; without this a caller that only looks would never see it.
                    deferredWorkRun = true;
                    _raw.GetEvents();
                    continue;
                }
            }

            if (HasSendAllWorkLater && MaySubmitHere)
            {
                SubmitSendAllWorkLater(); // a send-all's next leg found the SQ full: send it before sleeping on it
            }

            _waitingInKernel = true;
            try
            {
                _raw.WaitForCompletions(1, remaining);
            }
            finally
            {
                _waitingInKernel = false;
            }
        }
    }

    /// <summary>
    /// Wakes the thread blocked in <see cref="Wait"/>; that call returns null. Safe from any thread,
    /// under SingleIssuer and with a full SQ: a private ring posts the wake-up into this one
    /// (<c>IORING_OP_MSG_RING</c>); nothing is submitted here. Each call wakes one wait: a call made
    /// while nobody waits makes the next <see cref="Wait"/> return null at once, as in the seed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    public void BreakWait()
    {
        ThrowIfClosed();
        _wake.Wake();
    }

    /// <summary>
    /// Interprets one CQE (already consumed from the ring): internal tokens, stale tokens, and a
    /// slot's completion, freeing the slot at the operation's final completion.
    /// </summary>
    private Reaped Reap(in CompletionQueueEntry entry, bool serving, out Completion completion, out OperationSlot? orderedSlot)
    {
        completion = default;
        orderedSlot = null;
        switch (entry.UserData)
        {
            case WakeToken:
                return Reaped.Woken;
            case CancelAllToken or InternalCancelToken:
                return Reaped.Internal;
        }

        if ((entry.UserData & ForgottenTag) != 0)
        {
            ReapForgotten(entry);
            return Reaped.Internal;
        }

        if ((entry.UserData & LinkTimeoutTag) != 0)
        {
            return ReapLinkTimeout(entry, out completion);
        }

        if (!_slots.TryResolve(entry.UserData, out var slot))
        {
            Interlocked.Increment(ref _staleCompletions);
            return Reaped.Internal;
        }

        return ReapOperation(slot, entry, serving, out completion, out orderedSlot);
    }
}
