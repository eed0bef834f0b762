using System.Diagnostics;
using Uring.Native;
using Uring.Ops;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>SQPOLL rings (<see cref="RingSetupFlags.SqPoll"/>): the kernel's own thread takes submissions.</summary>
public class SqPollTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [RingFact(RequiresSetup = RingSetupFlags.SqPoll)]
    public void Submissions_need_no_syscall_while_the_kernels_thread_polls()
    {
        using var ring = new RawRing(new RingOptions { Entries = 8, Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromSeconds(5) });
        SubmitNopAndAwaitIt(ring, 1); // the thread is up and polling now
        var syscalls = ring.SubmitCalls;

        for (ulong i = 2; i < 10; i++)
        {
            SubmitNopAndAwaitIt(ring, i);
        }

        Assert.Equal(syscalls, ring.SubmitCalls);
    }

    [RingFact(RequiresSetup = RingSetupFlags.SqPoll)]
    public void A_submit_after_the_thread_fell_asleep_wakes_it_with_one_syscall()
    {
        using var ring = new RawRing(new RingOptions { Entries = 8, Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromMilliseconds(10) });
        SubmitNopAndAwaitIt(ring, 1);
        Thread.Sleep(200); // twenty idle periods: the thread sleeps and sets IORING_SQ_NEED_WAKEUP
        var syscalls = ring.SubmitCalls;

        SubmitNopAndAwaitIt(ring, 2);

        Assert.Equal(syscalls + 1, ring.SubmitCalls);
    }

    [RingTheory(RequiresSetup = RingSetupFlags.SqPoll)]
    [InlineData(null)]
    [InlineData(0)]
    public void The_object_ring_serves_on_sqpoll_and_fills_a_small_queue_without_hanging(int? cpu)
    {
        using var ring = new Ring(new RingOptions { Entries = 2, Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromMilliseconds(50), SqPollCpu = cpu });
        var submitted = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 64; i++)
        {
            try
            {
                ring.SubmitNop(i);
                submitted++;
            }
            catch (SubmissionQueueFullException)
            {
                // Reported after a short wait for the kernel's thread, never a hang.
            }
        }

        var completed = 0;
        while (completed < submitted && ring.Wait(Patience) is not null)
        {
            completed++;
        }

        Assert.True(submitted >= 2, $"only {submitted} of 64 NOPs were taken");
        Assert.Equal(submitted, completed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Sqpoll_options_without_the_flag_or_out_of_range_are_refused_naming_the_option()
    {
        Assert.Equal("SqPollIdle", Assert.Throws<ArgumentException>(() => new RawRing(new RingOptions { SqPollIdle = TimeSpan.FromSeconds(1) })).ParamName);
        Assert.Equal("SqPollCpu", Assert.Throws<ArgumentException>(() => new RawRing(new RingOptions { SqPollCpu = 0 })).ParamName);
        Assert.Equal("SqPollIdle", Assert.Throws<ArgumentOutOfRangeException>(() => new RawRing(new RingOptions { Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromSeconds(-1) })).ParamName);
        Assert.Equal("SqPollCpu", Assert.Throws<ArgumentOutOfRangeException>(() => new RawRing(new RingOptions { Flags = RingSetupFlags.SqPoll, SqPollCpu = -1 })).ParamName);
    }

    /// <summary>Prepares a NOP, publishes it (a syscall only if the thread must be woken) and spins until its completion is posted.</summary>
    private static void SubmitNopAndAwaitIt(RawRing ring, ulong userData)
    {
        Assert.True(ring.TryPrepare(default(NopOperation), userData));
        ring.Submit();
        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        CompletionQueueEntry completion;
        while (!ring.TryPeekCompletion(out completion))
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "the kernel's thread never took the NOP");
            Thread.SpinWait(100);
        }

        ring.AdvanceCompletions(1);
        Assert.Equal(userData, completion.UserData);
    }
}
