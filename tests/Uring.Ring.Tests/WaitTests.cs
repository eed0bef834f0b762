using System.Diagnostics;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class WaitTests
{
    [RingFact]
    public void WaitMany_takes_a_burst_of_completions_in_one_call_and_no_more_than_the_span_holds()
    {
        using var ring = new Ring(new RingOptions { Entries = 16 });
        for (var i = 0; i < 10; i++)
        {
            ring.SubmitNop(i);
        }

        var taken = new List<object?>();
        var batch = new Completion[4];
        while (taken.Count < 10)
        {
            var count = ring.WaitMany(batch, TimeSpan.FromSeconds(5));
            Assert.InRange(count, 1, batch.Length);
            taken.AddRange(batch.Take(count).Select(completion => completion.UserData));
        }

        Assert.Equal(Enumerable.Range(0, 10).Cast<object?>().Order(), taken.Order());
        Assert.Equal(0, ring.WaitMany(batch, TimeSpan.Zero)); // nothing left: only looks
    }

    [RingFact]
    public void WaitMany_returns_zero_when_broken_and_refuses_an_empty_span_or_a_negative_timeout()
    {
        using var ring = new Ring();
        ring.BreakWait();

        Assert.Equal(0, ring.WaitMany(new Completion[4]));
        Assert.Equal("completions", Assert.Throws<ArgumentException>(() => ring.WaitMany([])).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitMany(new Completion[1], TimeSpan.FromSeconds(-1))).ParamName);
    }

    [RingFact]
    public void Wait_with_no_timeout_blocks_until_a_completion_arrives()
    {
        using var ring = new Ring();
        ring.SubmitNop("nop");

        var completion = ring.Wait();

        Assert.NotNull(completion);
        Assert.Equal("nop", completion.Value.UserData);
        Assert.Equal(0, completion.Value.Res);
        Assert.Equal(CompletionKind.Nop, completion.Value.Kind);
        Assert.Equal(0, completion.Value.Sequence);
        Assert.False(completion.Value.HasMore);
    }

    [RingFact]
    public void Wait_with_a_zero_timeout_only_looks()
    {
        using var ring = new Ring();

        Assert.Null(ring.Wait(TimeSpan.Zero));

        ring.SubmitNop("ready"); // a NOP completes inside the submitting io_uring_enter
        Assert.Equal("ready", ring.Wait(TimeSpan.Zero)?.UserData);
    }

    [RingFact]
    public void Wait_with_a_positive_timeout_returns_null_once_it_elapsed()
    {
        using var ring = new Ring();
        var clock = Stopwatch.StartNew();

        var completion = ring.Wait(TimeSpan.FromMilliseconds(100));

        Assert.Null(completion);
        Assert.True(clock.ElapsedMilliseconds >= 90, $"returned after {clock.ElapsedMilliseconds} ms");
    }

    [RingFact]
    public void Wait_with_a_positive_timeout_returns_a_completion_that_arrives_in_time()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(right, new byte[4], "late");
            var sender = Task.Run(async () =>
            {
                await Task.Delay(50);
                left.Send(new byte[] { 42 });
            });

            var completion = ring.Wait(TimeSpan.FromSeconds(5));

            Assert.Equal("late", completion?.UserData);
            sender.Wait();
        }
    }

    [RingFact]
    public void Break_wait_from_another_thread_interrupts_a_blocked_wait()
    {
        using var ring = new Ring();
        Completion? result = new Completion();
        var waiter = new BackgroundThread(() => result = ring.Wait());
        Assert.True(SpinWait.SpinUntil(() => ring.IsWaitingInKernel, TimeSpan.FromSeconds(5)));

        ring.BreakWait();

        Assert.True(waiter.Join(TimeSpan.FromSeconds(5)), "the blocked wait did not return after BreakWait");
        Assert.Null(result);
    }

    [RingFact]
    public void Break_wait_before_a_wait_makes_the_next_wait_return_null_and_the_one_after_block_again()
    {
        using var ring = new Ring();

        ring.BreakWait();

        Assert.Null(ring.Wait(TimeSpan.FromSeconds(5)));
        Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(50)));
    }

    [RingFact]
    public void Break_wait_works_on_a_single_issuer_ring_from_a_foreign_thread()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer);
        var waiter = Task.Run(() => ring.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(SpinWait.SpinUntil(() => ring.IsWaitingInKernel, TimeSpan.FromSeconds(5)));

        BackgroundThread.Run(ring.BreakWait);

        Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)));
        Assert.Null(waiter.Result);
    }

    [RingFact]
    public void Concurrent_waits_are_serialised_and_each_completion_goes_to_exactly_one_waiter()
    {
        using var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 });
        const int PerWaiter = 200;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var waiters = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerWaiter; i++)
            {
                var completion = ring.Wait(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException();
                seen.Add((int)completion.UserData!);
            }
        })).ToArray();

        for (var i = 0; i < 4 * PerWaiter; i++)
        {
            while (true)
            {
                try
                {
                    ring.SubmitNop(i);
                    break;
                }
                catch (SubmissionQueueFullException)
                {
                    Thread.Yield();
                }
            }
        }

        Assert.True(Task.WaitAll(waiters, TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, 4 * PerWaiter), seen.Order());
    }
}
