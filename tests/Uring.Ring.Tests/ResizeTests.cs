using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class ResizeTests
{
    private const RingSetupFlags Resizable = RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun;

    [ResizeFact]
    public void Growing_a_ring_with_operations_in_flight_delivers_every_completion_afterwards()
    {
        using var ring = new Ring(new RingOptions { Entries = 4, Flags = Resizable, MaxInFlight = 64 });
        Assert.Equal((4, 8), (ring.SqEntries, ring.CqEntries));
        var pairs = Enumerable.Range(0, 3).Select(_ => SocketPair.Create()).ToList();
        try
        {
            var buffers = new List<byte[]>();
            for (var i = 0; i < pairs.Count; i++)
            {
                buffers.Add(new byte[8]);
                ring.SubmitRecv(pairs[i].Second, buffers[i], $"recv{i}"); // pending: nothing written yet
            }

            for (var i = 0; i < 4; i++)
            {
                ring.SubmitNop($"nop{i}"); // completed, not reaped: their CQEs sit in the old CQ
            }

            ring.Resize(16, 64);

            Assert.Equal((16, 64), (ring.SqEntries, ring.CqEntries));
            for (var i = 0; i < pairs.Count; i++)
            {
                pairs[i].First.Send(new[] { (byte)(10 + i) });
            }

            var delivered = ring.NextByUserData(7);
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(0, delivered[$"nop{i}"].Res);
            }

            for (var i = 0; i < pairs.Count; i++)
            {
                Assert.Equal(1, delivered[$"recv{i}"].Res);
                Assert.Equal(10 + i, buffers[i][0]);
            }

            // The new SQ takes a batch the old one could not.
            ring.AutoSubmit = false;
            for (var i = 0; i < 12; i++)
            {
                ring.SubmitNop(i);
            }

            Assert.Equal(12, ring.PendingSubmissions);
            ring.Flush();
            Assert.Equal(12, ring.NextByUserData(12).Count);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
        finally
        {
            pairs.ForEach(p =>
            {
                p.First.Dispose();
                p.Second.Dispose();
            });
        }
    }

    [ResizeFact]
    public void Submissions_prepared_but_not_yet_flushed_survive_a_resize()
    {
        using var ring = new Ring(8, Resizable);
        ring.AutoSubmit = false;
        ring.SubmitNop("a");
        ring.SubmitNop("b");

        ring.Resize(32, 64);
        ring.Flush();

        var delivered = ring.NextByUserData(2);
        Assert.Equal(0, delivered["a"].Res);
        Assert.Equal(0, delivered["b"].Res);
    }

    [ResizeFact]
    public void Shrinking_a_ring_keeps_a_pending_receive_and_serves_new_operations()
    {
        using var ring = new Ring(new RingOptions { Entries = 64, Flags = Resizable, MaxInFlight = 8 });
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            var buffer = new byte[4];
            ring.SubmitRecv(reader, buffer, "recv");

            ring.Resize(2, 8);

            Assert.Equal((2, 8), (ring.SqEntries, ring.CqEntries));
            ring.SubmitNop("nop");
            Assert.Equal("nop", ring.Next().UserData);
            writer.Send("ok"u8);
            var received = ring.Next();
            Assert.Equal(("recv", 2), (received.UserData, received.Res));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [ResizeFact]
    public void A_resize_too_small_for_the_unreaped_completions_is_refused_with_eoverflow_and_changes_nothing()
    {
        using var ring = new Ring(new RingOptions { Entries = 16, Flags = Resizable });
        for (var i = 0; i < 10; i++)
        {
            ring.SubmitNop(i);
        }

        var refused = Assert.Throws<UringException>(() => ring.Resize(2, 4));

        Assert.Equal(Errno.EOVERFLOW, refused.Errno);
        Assert.Contains("Reap completions", refused.Message, StringComparison.Ordinal);
        Assert.Equal((16, 32), (ring.SqEntries, ring.CqEntries));
        Assert.Equal(10, ring.NextByUserData(10).Count);

        ring.Resize(2, 4); // with the CQ drained, the same sizes fit
        Assert.Equal((2, 4), (ring.SqEntries, ring.CqEntries));
    }

    [ResizeFact]
    public void A_ring_without_an_sq_index_array_resizes_too()
    {
        using var ring = new Ring(4, Resizable | RingSetupFlags.NoSqArray);

        ring.Resize(16, 32);

        for (var i = 0; i < 8; i++)
        {
            ring.SubmitNop(i); // MaxInFlight stays the creation CQ's 8: a resize does not change it
        }

        Assert.Equal(8, ring.NextByUserData(8).Count);
        Assert.Equal((16, 32), (ring.SqEntries, ring.CqEntries));
    }

    [ResizeFact]
    public void The_low_level_ring_resizes_with_prepared_and_completed_entries_kept()
    {
        using var ring = new RawRing(4, Resizable);
        Assert.True(ring.TryPrepare(new Ops.NopOperation(), 1));
        ring.Submit();
        Assert.True(ring.TryPrepare(new Ops.NopOperation(), 2));

        ring.Resize(64, 128);

        Assert.Equal((64, 128), (ring.SqEntries, ring.CqEntries));
        ring.SubmitAndWait(2);
        var completions = new CompletionQueueEntry[4];
        Assert.Equal(2, ring.ReapCompletions(completions));
        Assert.Equal(new ulong[] { 1, 2 }, completions[..2].Select(c => c.UserData).Order());
    }

    [ResizeFact]
    public void Only_the_submitter_thread_may_resize()
    {
        using var ring = new Ring(8, Resizable);
        Exception? refused = null;
        Assert.True(new BackgroundThread(() => refused = Record.Exception(() => ring.Resize(16, 32))).Join(TimeSpan.FromSeconds(5)));

        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal(8, ring.SqEntries);
    }

    [RingFact]
    public void A_ring_without_defer_taskrun_is_refused_before_the_kernel_with_how_to_create_one()
    {
        using var plain = new Ring(8);
        using var singleIssuer = new Ring(8, RingSetupFlags.SingleIssuer);

        var refused = Assert.Throws<InvalidOperationException>(() => plain.Resize(16, 32));
        Assert.Contains("DeferTaskrun", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => singleIssuer.Resize(16, 32));
        Assert.Equal(8, plain.SqEntries);
    }

    [ResizeFact]
    public void Sizes_out_of_range_are_refused_before_the_kernel()
    {
        using var ring = new Ring(8, Resizable);

        Assert.Equal("sqEntries", Assert.Throws<ArgumentOutOfRangeException>(() => ring.Resize(0, 8)).ParamName);
        Assert.Equal("sqEntries", Assert.Throws<ArgumentOutOfRangeException>(() => ring.Resize(32769, 65536)).ParamName);
        Assert.Equal("cqEntries", Assert.Throws<ArgumentOutOfRangeException>(() => ring.Resize(16, 8)).ParamName);
        Assert.Equal("cqEntries", Assert.Throws<ArgumentOutOfRangeException>(() => ring.Resize(16, 65537)).ParamName);
        Assert.Equal((8, 16), (ring.SqEntries, ring.CqEntries));
    }
}
