using System.Collections.Concurrent;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Serving with <see cref="Ring.BatchCallback"/>: everything one reap produced, in one call.</summary>
public class BatchServingTests
{
    [RingFact]
    public void A_burst_already_in_the_queue_arrives_in_one_call_in_completion_order()
    {
        using var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 64 }) { AutoSubmit = false };
        var batches = new BlockingCollection<object?[]>();
        ring.BatchCallback = completions => batches.Add(completions.ToArray().Select(c => c.UserData).ToArray());
        for (var i = 0; i < 64; i++)
        {
            ring.SubmitNop(i);
        }

        ring.Flush();
        var worker = new BackgroundThread(ring.ServeCompletions);

        Assert.True(batches.TryTake(out var batch, TimeSpan.FromSeconds(5)));
        Assert.Equal(Enumerable.Range(0, 64).Cast<object?>(), batch);
        ring.StopServing();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
    }

    [RingTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Batch_workers_deliver_every_completion_exactly_once(int workerCount)
    {
        const int Operations = 20_000;
        using var ring = new Ring(new RingOptions { Entries = 128, MaxInFlight = 256 });
        var seen = new ConcurrentDictionary<int, int>();
        using var all = new CountdownEvent(Operations);
        ring.BatchCallback = completions =>
        {
            foreach (var completion in completions)
            {
                seen.AddOrUpdate((int)completion.UserData!, 1, (_, count) => count + 1);
            }

            all.Signal(completions.Length);
        };
        var workers = Enumerable.Range(0, workerCount).Select(_ => new BackgroundThread(ring.ServeCompletions)).ToList();

        for (var i = 0; i < Operations; i++)
        {
            ServingTests.SubmitWithBackpressure(() => ring.SubmitNop(i));
        }

        Assert.True(all.Wait(TimeSpan.FromSeconds(30)), $"{all.CurrentCount} completions missing");
        ring.StopServing();
        Assert.All(workers, worker => Assert.True(worker.Join(TimeSpan.FromSeconds(5))));
        Assert.Equal(Operations, seen.Count);
        Assert.All(seen.Values, count => Assert.Equal(1, count));
    }

    [RingFact]
    public void A_batch_that_throws_goes_whole_to_the_exception_handler_and_the_worker_keeps_serving()
    {
        using var ring = new Ring(new RingOptions { Entries = 8 }) { AutoSubmit = false };
        var handled = new BlockingCollection<object?[]>();
        var delivered = new BlockingCollection<object?>();
        ring.BatchCallback = completions =>
        {
            if (completions[0].UserData is "bad")
            {
                throw new InvalidOperationException("boom");
            }

            delivered.Add(completions[0].UserData);
        };
        ring.CallbackExceptionHandler = (_, _, completions) => handled.Add(completions.Select(c => c.UserData).ToArray());
        ring.SubmitNop("bad");
        ring.SubmitNop("with it");
        ring.Flush();
        var worker = new BackgroundThread(ring.ServeCompletions);

        Assert.True(handled.TryTake(out var failed, TimeSpan.FromSeconds(5)));
        Assert.Equal(["bad", "with it"], failed);
        ring.SubmitNop("after");
        ring.Flush();
        Assert.True(delivered.TryTake(out var next, TimeSpan.FromSeconds(5)), "the worker stopped after a handled exception");
        Assert.Equal("after", next);
        ring.StopServing();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
    }

    [RingFact]
    public void Serving_with_both_callbacks_set_is_refused_before_anything_is_reaped()
    {
        using var ring = new Ring();
        ring.Callback = _ => { };
        ring.BatchCallback = _ => { };
        ring.SubmitNop("kept");

        var error = Assert.Throws<InvalidOperationException>(ring.ServeCompletions);

        Assert.Contains("Both Ring.Callback and Ring.BatchCallback", error.Message, StringComparison.Ordinal);
        Assert.Equal("kept", ring.Wait(TimeSpan.FromSeconds(5))?.UserData);
    }

    [RingFact]
    public void The_batch_callback_cannot_change_while_workers_serve()
    {
        using var ring = new Ring();
        ring.BatchCallback = _ => { };
        var worker = new BackgroundThread(ring.ServeCompletions);
        Assert.True(SpinWait.SpinUntil(() => ring.IsServing, TimeSpan.FromSeconds(5)));

        Assert.Throws<InvalidOperationException>(() => ring.BatchCallback = null);

        ring.StopServing();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
    }
}
