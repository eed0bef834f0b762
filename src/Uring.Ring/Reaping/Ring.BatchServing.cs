using System.Diagnostics;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// The worker loop for <see cref="BatchCallback"/>: under the wait lock, reap the first completion
    /// (waiting for it) and then every one already posted, up to the batch's size; outside it, hand
    /// them over in one call. The buffers are the worker's own, allocated once when it starts.
    /// </summary>
    private void ServeBatches(bool forwarding)
    {
        var size = Math.Min(MaxBatch, _raw.CqEntries);
        var batch = new Completion[size];
        var ordered = new OperationSlot?[size];
        while (!_stopServing)
        {
            if (forwarding)
            {
                SubmitForwarded();
            }

            int count;
            bool anyOrdered;
            lock (_waitLock)
            {
                if (_stopServing || IsClosed)
                {
                    break;
                }

                count = TakeBatch(batch, ordered, out anyOrdered);
            }

            if (count > 0)
            {
                DeliverBatch(batch.AsSpan(0, count), anyOrdered ? ordered.AsSpan(0, count) : default);
            }
        }
    }

    /// <summary>
    /// Under the wait lock: the first completion (waiting as a worker does), then the ones already in
    /// the CQ; how many, 0 when woken. <paramref name="anyOrdered"/> says whether a multishot leg is
    /// among them, so that a batch of one-shot completions skips the ordering work.
    /// </summary>
    private int TakeBatch(Completion[] batch, OperationSlot?[] ordered, out bool anyOrdered)
    {
        anyOrdered = false;
        if (!TakeNext(long.MaxValue, serving: true, out batch[0], out ordered[0]))
        {
            return 0;
        }

        var count = 1;
        anyOrdered = ordered[0] is not null;
        while (count < batch.Length && _raw.CompletionsReady > 0 && TakeNext(Stopwatch.GetTimestamp(), serving: true, out batch[count], out ordered[count]))
        {
            anyOrdered |= ordered[count] is not null;
            count++;
        }

        return count;
    }

    /// <summary>
    /// Calls the batch callback outside the wait lock. A multishot operation's final completion in
    /// the batch first waits until the legs other workers hold have had their batches return (its
    /// legs earlier in this batch count as delivered: they go in the same call); then the legs are
    /// counted and the finals' slots freed. Workers take the CQ in order, so a worker only ever waits
    /// for one that reaped before it, never the other way round. <paramref name="ordered"/> is empty
    /// when the batch holds no multishot leg.
    /// </summary>
    private void DeliverBatch(Span<Completion> batch, Span<OperationSlot?> ordered)
    {
        try
        {
            for (var i = 0; i < ordered.Length; i++)
            {
                if (ordered[i] is { } slot && !batch[i].HasMore)
                {
                    WaitForEarlierLegs(slot, batch[i].Sequence - slot.BaseSequence - LegsBefore(ordered[..i], slot));
                }
            }

            _batchCallback!(batch);
        }
        catch (Exception e)
        {
            var completions = batch.ToArray();
            if (!Handled(completions, e))
            {
                ReportCallbackFailure(completions[0], e);
            }
        }
        finally
        {
            for (var i = 0; i < ordered.Length; i++)
            {
                if (ordered[i] is { } slot)
                {
                    LegReturned(slot, batch[i]);
                    ordered[i] = null;
                }
            }

            batch.Clear(); // hold no payload past the call
        }
    }

    private static int LegsBefore(Span<OperationSlot?> ordered, OperationSlot slot)
    {
        var legs = 0;
        foreach (var other in ordered)
        {
            if (ReferenceEquals(other, slot))
            {
                legs++;
            }
        }

        return legs;
    }

    /// <summary>Spins until <paramref name="legs"/> of <paramref name="slot"/>'s legs have had their callbacks return.</summary>
    private static void WaitForEarlierLegs(OperationSlot slot, int legs)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref slot.LegsDelivered) != legs)
        {
            spinner.SpinOnce();
        }
    }
}
