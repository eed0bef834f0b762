using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class BatchingTests
{
    [RingFact]
    public void Without_auto_submit_operations_wait_for_one_flush()
    {
        using var ring = new Ring(16) { AutoSubmit = false };
        for (var i = 0; i < 3; i++)
        {
            ring.SubmitNop(i);
        }

        Assert.Equal(3, ring.PendingSubmissions);
        Assert.Null(ring.Wait(TimeSpan.Zero));

        Assert.Equal(3, ring.Flush());

        Assert.Equal(0, ring.PendingSubmissions);
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(_ => (int)ring.Next().UserData!).Order());
    }

    [RingFact]
    public void A_full_submission_queue_is_flushed_to_make_room()
    {
        using var ring = new Ring(new RingOptions { Entries = 2, MaxInFlight = 8 }) { AutoSubmit = false };
        for (var i = 0; i < 5; i++)
        {
            ring.SubmitNop(i);
        }

        ring.Flush();

        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(_ => (int)ring.Next().UserData!).Order());
    }

    [RingFact]
    public void A_tiny_ring_in_batching_mode_pushes_back_with_submission_queue_full()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring(1) { AutoSubmit = false })
        {
            Assert.Equal(2, ring.MaxInFlight); // the CQ size: one-shot completions can never overflow it
            ring.SubmitRecv(right, new byte[1], "a");
            ring.SubmitRecv(right, new byte[1], "b");

            var error = Assert.Throws<SubmissionQueueFullException>(() => ring.SubmitRecv(right, new byte[1], "c"));
            Assert.True(error.InFlightLimitReached);
            Assert.Equal(2, ring.InFlight);

            // Backpressure, not a broken ring: once completions are reaped, submissions succeed again.
            ring.Flush();
            left.Send(new byte[] { 1, 2 });
            Assert.Equal(["a", "b"], ring.NextByUserData(2).Keys.Order());
            ring.SubmitNop("after");
            ring.Flush();
            Assert.Equal("after", ring.Next().UserData);
        }
    }
}
