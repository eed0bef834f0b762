using Uring.Native;
using Uring.Ops;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>The allocation-free layer: struct operations, ulong user data, batch reaping into a span.</summary>
public class LowLevelApiTests
{
    [RingFact]
    public void Nop_submit_and_reap_allocate_nothing_in_steady_state()
    {
        using var ring = new RawRing(64);
        var completions = new CompletionQueueEntry[64];
        RunNops(ring, completions, 1_000); // warm-up: JIT, tiering

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reaped = RunNops(ring, completions, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_000, reaped);
        Assert.Equal(0, allocated);
    }

    [RingFact]
    public void Socketpair_send_and_recv_on_pinned_buffers_allocate_nothing_in_steady_state()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new RawRing(8))
        {
            var outgoing = new PinnedBuffer(64);
            var incoming = new PinnedBuffer(64);
            var completions = new CompletionQueueEntry[8];
            var leftFd = (int)left.Handle;
            var rightFd = (int)right.Handle;
            PingPong(ring, completions, leftFd, rightFd, outgoing, incoming, 200);

            var before = GC.GetAllocatedBytesForCurrentThread();
            PingPong(ring, completions, leftFd, rightFd, outgoing, incoming, 10_000);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
        }
    }

    [RingFact]
    public void Completions_carry_the_callers_user_data_and_are_reaped_in_batches()
    {
        using var ring = new RawRing(16);
        for (ulong i = 0; i < 10; i++)
        {
            Assert.True(ring.TryPrepare(new NopOperation(), 1000 + i));
        }

        Assert.Equal(10, ring.PendingSubmissions);
        Assert.Equal(10, ring.SubmitAndWait(10));
        var completions = new CompletionQueueEntry[4];
        var seen = new List<ulong>();
        int count;
        while ((count = ring.ReapCompletions(completions)) > 0)
        {
            Assert.True(count <= 4);
            seen.AddRange(completions[..count].Select(c => c.UserData));
        }

        Assert.Equal(Enumerable.Range(1000, 10).Select(i => (ulong)i), seen);
    }

    [RingFact]
    public void A_full_submission_queue_refuses_to_prepare_until_submitted()
    {
        using var ring = new RawRing(2);

        Assert.True(ring.TryPrepare(new NopOperation(), 1));
        Assert.True(ring.TryPrepare(new NopOperation(), 2));
        Assert.False(ring.TryPrepare(new NopOperation(), 3));
        Assert.Equal(0, ring.SubmissionSpace);

        ring.Submit();

        Assert.True(ring.TryPrepare(new NopOperation(), 3));
    }

    [RingFact]
    public void A_timed_wait_with_nothing_in_flight_returns_false()
    {
        using var ring = new RawRing();

        Assert.False(ring.WaitForCompletions(1, TimeSpan.FromMilliseconds(50)));
    }

    private static int RunNops(RawRing ring, CompletionQueueEntry[] completions, int total)
    {
        var reaped = 0;
        for (var done = 0; done < total; done += 64)
        {
            for (var i = 0; i < 64; i++)
            {
                ring.TryPrepare(new NopOperation(), (ulong)i);
            }

            ring.SubmitAndWait(64);
            var got = 0;
            while (got < 64)
            {
                got += ring.ReapCompletions(completions);
            }

            reaped += got;
        }

        return Math.Min(reaped, total) == total ? total : reaped;
    }

    private static void PingPong(RawRing ring, CompletionQueueEntry[] completions, int left, int right, PinnedBuffer outgoing, PinnedBuffer incoming, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            ring.TryPrepare(new RecvOperation(right, incoming.Address, 1, MessageFlags.None), 1);
            ring.TryPrepare(new SendOperation(left, outgoing.Address, 1, MessageFlags.NoSignal), 2);
            ring.SubmitAndWait(2);
            var got = 0;
            while (got < 2)
            {
                got += ring.ReapCompletions(completions);
                if (got < 2)
                {
                    ring.WaitForCompletions(1);
                }
            }
        }
    }
}
