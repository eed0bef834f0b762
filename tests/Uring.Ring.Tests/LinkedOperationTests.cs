using System.Buffers.Binary;
using Uring.Native;
using Uring.Ops;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Linked SQEs at the low level (<see cref="RawRing"/>): IOSQE_IO_LINK chains, IOSQE_IO_HARDLINK, and
/// IORING_OP_LINK_TIMEOUT as the ring's deadlines use it. Arbitrary chains are a RawRing feature; the
/// object API links only an operation to its deadline.
/// </summary>
public class LinkedOperationTests
{
    [RingFact]
    public void A_linked_send_then_receive_run_in_order_and_both_succeed()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new RawRing(8))
        {
            var outgoing = new PinnedBuffer(3);
            "abc"u8.CopyTo(outgoing.Span);
            var incoming = new PinnedBuffer(8);

            Assert.True(ring.TryPrepare(new SendOperation((int)left.Handle, outgoing.Address, 3, MessageFlags.NoSignal), 1, SqeFlags.IoLink));
            Assert.True(ring.TryPrepare(new RecvOperation((int)right.Handle, incoming.Address, 8, MessageFlags.None), 2));
            ring.SubmitAndWait(2);
            var completions = Reap(ring, 2);

            Assert.Equal([1UL, 2UL], completions.Select(c => c.UserData));
            Assert.All(completions, c => Assert.Equal(3, c.Result));
            Assert.Equal("abc"u8.ToArray(), incoming.Array[..3]);
        }
    }

    [RingFact]
    public void A_failing_operation_cancels_the_rest_of_its_chain_with_ecanceled()
    {
        using var ring = new RawRing(8);

        // Cancelling a request that does not exist fails with ENOENT: the linked NOPs never run.
        Assert.True(ring.TryPrepare(new CancelOperation(0xdead), 1, SqeFlags.IoLink));
        Assert.True(ring.TryPrepare(new NopOperation(), 2, SqeFlags.IoLink));
        Assert.True(ring.TryPrepare(new NopOperation(), 3));
        ring.SubmitAndWait(3);
        var completions = Reap(ring, 3).ToDictionary(c => c.UserData, c => c.Result);

        Assert.Equal(-(int)Errno.ENOENT, completions[1]);
        Assert.Equal(-(int)Errno.ECANCELED, completions[2]);
        Assert.Equal(-(int)Errno.ECANCELED, completions[3]);
    }

    [RingFact]
    public void A_hard_link_runs_the_next_operation_even_after_a_failure()
    {
        using var ring = new RawRing(8);

        Assert.True(ring.TryPrepare(new CancelOperation(0xdead), 1, SqeFlags.IoHardLink));
        Assert.True(ring.TryPrepare(new NopOperation(), 2));
        ring.SubmitAndWait(2);
        var completions = Reap(ring, 2).ToDictionary(c => c.UserData, c => c.Result);

        Assert.Equal(-(int)Errno.ENOENT, completions[1]);
        Assert.Equal(0, completions[2]);
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_link_timeout_cancels_the_operation_before_it_and_completes_with_etime()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new RawRing(8))
        {
            var incoming = new PinnedBuffer(8);
            var timespec = new PinnedBuffer(16); // __kernel_timespec { tv_sec = 0, tv_nsec = 20 ms }
            BinaryPrimitives.WriteInt64LittleEndian(timespec.Span[8..], 20_000_000);

            Assert.True(ring.TryPrepare(new RecvOperation((int)right.Handle, incoming.Address, 8, MessageFlags.None), 1, SqeFlags.IoLink));
            Assert.True(ring.TryPrepare(new LinkTimeoutOperation(timespec.Address), 2));
            ring.SubmitAndWait(2);
            var completions = Reap(ring, 2).ToDictionary(c => c.UserData, c => c.Result);

            Assert.Equal(-(int)Errno.ECANCELED, completions[1]);
            Assert.Equal(-(int)Errno.ETIME, completions[2]);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_link_timeout_whose_operation_finished_first_completes_with_ecanceled()
    {
        using var ring = new RawRing(8);
        var timespec = new PinnedBuffer(16);
        BinaryPrimitives.WriteInt64LittleEndian(timespec.Span, 600); // ten minutes

        Assert.True(ring.TryPrepare(new NopOperation(), 1, SqeFlags.IoLink));
        Assert.True(ring.TryPrepare(new LinkTimeoutOperation(timespec.Address), 2));
        ring.SubmitAndWait(2);
        var completions = Reap(ring, 2).ToDictionary(c => c.UserData, c => c.Result);

        Assert.Equal(0, completions[1]);
        Assert.Equal(-(int)Errno.ECANCELED, completions[2]);
    }

    /// <summary>Reaps exactly <paramref name="count"/> completions, failing rather than hanging after five seconds.</summary>
    private static List<CompletionQueueEntry> Reap(RawRing ring, int count)
    {
        var result = new List<CompletionQueueEntry>();
        var buffer = new CompletionQueueEntry[count];
        while (result.Count < count)
        {
            Assert.True(ring.WaitForCompletions(1, TimeSpan.FromSeconds(5)), "no completion arrived within 5 s");
            result.AddRange(buffer[..ring.ReapCompletions(buffer.AsSpan(0, count - result.Count))]);
        }

        return result;
    }
}
