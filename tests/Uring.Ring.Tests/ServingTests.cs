using System.Collections.Concurrent;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>The seed's completion service: caller-owned workers in ServeCompletions calling the Callback.</summary>
public class ServingTests
{
    [RingFact]
    public void Serving_without_a_callback_is_refused_before_anything_is_reaped_so_nothing_is_lost()
    {
        using var ring = new Ring();
        ring.SubmitNop("kept");

        var error = Assert.Throws<InvalidOperationException>(ring.ServeCompletions);

        Assert.Contains("Callback", error.Message, StringComparison.Ordinal);
        Assert.False(ring.IsServing);
        Assert.Equal("kept", ring.Wait(TimeSpan.FromSeconds(5))?.UserData); // still in the ring
    }

    [RingTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Workers_deliver_every_completion_exactly_once(int workerCount)
    {
        const int Operations = 20_000;
        using var ring = new Ring(new RingOptions { Entries = 128, MaxInFlight = 256 });
        var seen = new ConcurrentDictionary<int, int>();
        using var all = new CountdownEvent(Operations);
        ring.Callback = completion =>
        {
            seen.AddOrUpdate((int)completion.UserData!, 1, (_, count) => count + 1);
            all.Signal();
        };
        var workers = Enumerable.Range(0, workerCount).Select(_ => new BackgroundThread(ring.ServeCompletions)).ToList();

        for (var i = 0; i < Operations; i++)
        {
            SubmitWithBackpressure(() => ring.SubmitNop(i));
        }

        Assert.True(all.Wait(TimeSpan.FromSeconds(30)), $"{all.CurrentCount} completions missing");
        ring.StopServing();
        Assert.All(workers, worker => Assert.True(worker.Join(TimeSpan.FromSeconds(5))));
        Assert.Equal(Operations, seen.Count);
        Assert.All(seen.Values, count => Assert.Equal(1, count));
        ring.ResetServing();
    }

    [RingFact]
    public void A_throwing_callback_is_reported_and_the_worker_group_exits()
    {
        using var ring = new Ring();
        var reported = new TaskCompletionSource<CallbackFailedEventArgs>();
        ring.CallbackFailed += (_, e) => reported.TrySetResult(e);
        ring.Callback = completion => throw new InvalidOperationException($"boom {completion.UserData}");
        var workers = Enumerable.Range(0, 2).Select(_ => new BackgroundThread(ring.ServeCompletions)).ToList();

        ring.SubmitNop("first");

        Assert.True(reported.Task.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal("boom first", reported.Task.Result.Exception.Message);
        Assert.Equal("first", reported.Task.Result.Completion.UserData);
        Assert.All(workers, worker => Assert.True(worker.Join(TimeSpan.FromSeconds(5)), "a worker kept serving after the callback failed"));
        Assert.Same(reported.Task.Result.Exception, ring.ServingFault);
        Assert.False(ring.IsServing);
    }

    [RingFact]
    public void A_callback_exception_handler_that_returns_keeps_the_worker_serving_the_completions_after_it()
    {
        using var ring = new Ring();
        var delivered = new BlockingCollection<object?>();
        var handled = new BlockingCollection<(Ring Ring, Exception Exception, IReadOnlyList<Completion> Completions)>();
        ring.Callback = completion =>
        {
            if (completion.UserData is "bad")
            {
                throw new InvalidOperationException("boom");
            }

            delivered.Add(completion.UserData);
        };
        ring.CallbackExceptionHandler = (failing, exception, completions) => handled.Add((failing, exception, completions));
        var worker = new BackgroundThread(ring.ServeCompletions);

        ring.SubmitNop("bad");
        ring.SubmitNop("good");

        Assert.True(handled.TryTake(out var failure, TimeSpan.FromSeconds(5)));
        Assert.Same(ring, failure.Ring);
        Assert.Equal("boom", failure.Exception.Message);
        Assert.Equal("bad", Assert.Single(failure.Completions).UserData);
        Assert.True(delivered.TryTake(out var next, TimeSpan.FromSeconds(5)), "the worker stopped after a handled exception");
        Assert.Equal("good", next);
        Assert.True(ring.IsServing);
        Assert.Null(ring.ServingFault);
        Assert.Throws<InvalidOperationException>(() => ring.CallbackExceptionHandler = null); // not while serving
        ring.StopServing();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
    }

    [RingFact]
    public void A_callback_exception_handler_that_throws_stops_the_workers_as_without_one()
    {
        using var ring = new Ring();
        var reported = new TaskCompletionSource<CallbackFailedEventArgs>();
        ring.CallbackFailed += (_, e) => reported.TrySetResult(e);
        ring.Callback = _ => throw new InvalidOperationException("boom");
        ring.CallbackExceptionHandler = (_, _, _) => throw new InvalidOperationException("the handler gives up");
        var worker = new BackgroundThread(ring.ServeCompletions);

        ring.SubmitNop("first");

        Assert.True(reported.Task.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal("boom", reported.Task.Result.Exception.Message); // the callback's, not the handler's
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal("boom", ring.ServingFault?.Message);
    }

    [RingFact]
    public void Serving_can_stop_reset_and_restart_without_losing_completions()
    {
        using var ring = new Ring();
        var delivered = new BlockingCollection<object?>();
        ring.Callback = completion => delivered.Add(completion.UserData);

        var first = new BackgroundThread(ring.ServeCompletions);
        ring.SubmitNop("a");
        Assert.True(delivered.TryTake(out var a, TimeSpan.FromSeconds(5)));
        ring.StopServing();
        Assert.True(first.Join(TimeSpan.FromSeconds(5)));

        // Stopped is sticky: a new worker returns at once, and the next completion waits in the ring.
        ring.SubmitNop("b");
        BackgroundThread.Run(ring.ServeCompletions);
        Assert.Empty(delivered);

        ring.ResetServing();
        var second = new BackgroundThread(ring.ServeCompletions);
        Assert.True(delivered.TryTake(out var b, TimeSpan.FromSeconds(5)));
        ring.StopServing();
        Assert.True(second.Join(TimeSpan.FromSeconds(5)));

        Assert.Equal(["a", "b"], new[] { a, b });
    }

    [RingFact]
    public void While_workers_serve_wait_dispose_and_setting_the_callback_are_refused()
    {
        var ring = new Ring();
        ring.Callback = _ => { };
        var worker = new BackgroundThread(ring.ServeCompletions);
        Assert.True(SpinWait.SpinUntil(() => ring.IsServing, TimeSpan.FromSeconds(5)));

        Assert.Throws<InvalidOperationException>(() => ring.Wait(TimeSpan.Zero));
        Assert.Throws<InvalidOperationException>(ring.Dispose);
        Assert.Throws<InvalidOperationException>(() => ring.Callback = null);

        ring.StopServing();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)));
        ring.Dispose();
        Assert.True(ring.IsClosed);
    }

    [RingTheory(RequiresOpcode = Native.RingOpcode.Recv)]
    [InlineData(false)]
    [InlineData(true)]
    public void With_several_workers_a_multishot_final_completion_comes_after_every_earlier_legs_callback(bool batched)
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring())
        {
            var delivered = new ConcurrentBag<int>();
            var finalSeen = new ManualResetEventSlim();
            var deliveredBeforeFinal = -1;
            var finalSequence = -1;
            void Handle(Completion completion)
            {
                if (!completion.HasMore)
                {
                    deliveredBeforeFinal = delivered.Count;
                    finalSequence = completion.Sequence;
                    finalSeen.Set();
                    return;
                }

                if (completion.Sequence % 3 == 0)
                {
                    Thread.Sleep(5); // slow callbacks let other workers race ahead
                }

                delivered.Add(completion.Sequence);
            }

            if (batched)
            {
                ring.BatchCallback = completions =>
                {
                    foreach (var completion in completions)
                    {
                        Handle(completion);
                    }
                };
            }
            else
            {
                ring.Callback = Handle;
            }

            var workers = Enumerable.Range(0, 4).Select(_ => new BackgroundThread(ring.ServeCompletions)).ToList();

            ring.SubmitRecvMultishot(reader, bufferSize: 1, bufferCount: 64);
            for (var i = 0; i < 200; i++)
            {
                writer.Send([(byte)i]);
            }

            writer.Dispose();
            Assert.True(finalSeen.Wait(TimeSpan.FromSeconds(30)));
            ring.StopServing();
            Assert.All(workers, worker => Assert.True(worker.Join(TimeSpan.FromSeconds(5))));

            Assert.Equal(finalSequence, deliveredBeforeFinal);
            Assert.Equal(Enumerable.Range(0, finalSequence), delivered.Order());
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    internal static void SubmitWithBackpressure(Action submit)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            try
            {
                submit();
                return;
            }
            catch (SubmissionQueueFullException)
            {
                spinner.SpinOnce();
            }
        }
    }
}
