namespace Uring;

public sealed partial class Ring
{
    /// <summary>The CQ size automatic growth stops at; 0 when the ring never grows.</summary>
    private int _growCompletionQueueTo;

    /// <summary>
    /// Called after each step of automatic growth (<see cref="RingOptions.GrowCompletionQueueTo"/>),
    /// on the submitter thread, inside the submission that needed the room and outside the ring's
    /// locks; the step is also logged (Information). An exception it throws is logged and dropped:
    /// the submission goes on. Default: none.
    /// </summary>
    public Action<CompletionQueueGrowth>? CompletionQueueGrew { get; set; }

    /// <summary>The CQ size automatic growth stops at, or 0 when this ring does not grow.</summary>
    public int GrowCompletionQueueTo => _growCompletionQueueTo;

    /// <summary>Turns growth on at creation, once the kernel is known to resize rings.</summary>
    private void EnableGrowth(int? cap)
    {
        if (cap is not { } limit)
        {
            return;
        }

        if (!UringProbe.Probe().Has("IORING_REGISTER_RESIZE_RINGS"))
        {
            throw new NotSupportedException(
                "RingOptions.GrowCompletionQueueTo needs a kernel that resizes rings (IORING_REGISTER_RESIZE_RINGS, Linux 6.13), and this one does not: leave it null and size CompletionQueueEntries for the peak instead.");
        }

        _growCompletionQueueTo = limit;
    }

    /// <summary>
    /// Where a submission found every slot taken: doubles the CQ (up to the cap) and the slot table
    /// with it, and says whether there is room now. It grows only where a resize is allowed and
    /// cannot deadlock: on the submitter thread, with no workers serving, and only if no other thread
    /// holds the wait lock — a reaper there may be about to take the submit lock this would hold.
    /// </summary>
    private bool TryGrow()
    {
        if (_growCompletionQueueTo <= CqEntries || IsServing || !MaySubmitHere || !_waitLock.TryEnter())
        {
            return false;
        }

        CompletionQueueGrowth growth;
        try
        {
            lock (_submitLock)
            {
                if (IsClosed)
                {
                    return false;
                }

                var previous = _raw.CqEntries;
                _raw.Resize(_raw.SqEntries, Math.Min(previous * 2, _growCompletionQueueTo));
                _slots.Grow(_raw.CqEntries);
                growth = new CompletionQueueGrowth(previous, _raw.CqEntries, _slots.Capacity, _growCompletionQueueTo);
            }
        }
        catch (Exception e) when (e is UringException or InvalidOperationException)
        {
            // The kernel refused (it changes nothing then) or the layout is unknown: keep the limit, stop trying.
            _growCompletionQueueTo = 0;
            RingLog.GrowthFailed(_logger, e, _raw.Fd, _raw.CqEntries);
            return false;
        }
        finally
        {
            _waitLock.Exit();
        }

        Report(growth);
        return true;
    }

    private void Report(CompletionQueueGrowth growth)
    {
        UringMetrics.Add(UringMetrics.Growth, 1, _ringTag);
        RingLog.CompletionQueueGrew(_logger, _raw.Fd, growth.PreviousEntries, growth.Entries, growth.Cap);
        try
        {
            CompletionQueueGrew?.Invoke(growth);
        }
        catch (Exception e)
        {
            RingLog.GrowthHandlerFailed(_logger, e, _raw.Fd, growth.Entries);
        }
    }
}
