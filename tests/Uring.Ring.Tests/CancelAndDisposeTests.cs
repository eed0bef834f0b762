using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class CancelAndDisposeTests
{
    [RingFact]
    public void A_cancelled_recv_still_posts_its_own_completion_with_ecanceled()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var recv = ring.SubmitRecv(right, new byte[8], "recv");

            ring.SubmitCancel(recv, "cancel");
            var completions = ring.NextByUserData(2);

            Assert.Equal(Errno.ECANCELED, completions["recv"].Error);
            Assert.Equal(CompletionKind.Cancel, completions["cancel"].Kind);
            Assert.Equal(0, completions["cancel"].Res);
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact]
    public void Cancelling_everything_ends_every_operation_with_its_own_completion_and_reports_how_many()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(right, new byte[8], "recv");
            ring.SubmitRecvMultishot(right, 64, 4, "multishot");
            ring.SubmitTimeout(TimeSpan.FromMinutes(1), "timer");

            ring.SubmitCancelAll("cancel all");
            var completions = ring.NextByUserData(4);

            Assert.Equal(Errno.ECANCELED, completions["recv"].Error);
            Assert.Equal(Errno.ECANCELED, completions["multishot"].Error);
            Assert.False(completions["multishot"].HasMore);
            Assert.Equal(Errno.ECANCELED, completions["timer"].Error);
            Assert.Equal(CompletionKind.Cancel, completions["cancel all"].Kind);
            Assert.Equal(3, completions["cancel all"].Res);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void Cancelling_an_operation_that_already_completed_reports_enoent_and_touches_nothing_else()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var done = ring.SubmitNop("nop");
            ring.Next();
            var pending = ring.SubmitRecv(right, new byte[8], "recv"); // reuses the NOP's slot, next generation

            ring.SubmitCancel(done, "stale cancel");
            Assert.Equal(Errno.ENOENT, ring.Next().Error);

            left.Send(new byte[] { 7 });
            var completion = ring.Next();
            Assert.Equal("recv", completion.UserData);
            Assert.Equal(1, completion.Res);
            Assert.NotEqual(done.Token, pending.Token);
        }
    }

    [RingFact]
    public void Dispose_cancels_and_drains_operations_in_flight_before_releasing_them()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        {
            var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 });
            for (var i = 0; i < 100; i++)
            {
                ring.SubmitRecv(right, new byte[16]);
            }

            Assert.Equal(100, ring.InFlight);

            ring.Dispose();

            Assert.Equal(0, ring.InFlight);
            Assert.Equal(0, ring.StaleCompletions);
        }
    }

    [RingFact]
    public void Dispose_wakes_a_thread_blocked_in_wait_and_later_waits_throw()
    {
        var ring = new Ring();
        var waiter = Task.Run(() => ring.Wait());
        Assert.True(SpinWait.SpinUntil(() => ring.IsWaitingInKernel, TimeSpan.FromSeconds(5)));

        ring.Dispose();

        Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "the blocked wait was not released by Dispose");
        Assert.Null(waiter.Result);
        Assert.Throws<ObjectDisposedException>(() => ring.Wait());
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.MsgRing)]
    public void A_late_completion_for_a_reused_slot_is_never_delivered_to_its_new_operation()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (var other = new RawRing())
        {
            var finished = ring.SubmitNop("old");
            ring.Next();
            var current = ring.SubmitRecv(reader, new byte[4], "current"); // same slot, next generation
            Assert.Equal((uint)finished.Token, (uint)current.Token);

            // The kernel posts a CQE carrying the finished operation's user_data into the ring.
            other.TryPrepare(new Ops.MsgRingOperation(ring.Fd, 123, finished.Token), 1);
            other.Submit();

            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(200)));
            Assert.Equal(1, ring.StaleCompletions);
            writer.Send([9]);
            var completion = ring.Next();
            Assert.Equal("current", completion.UserData);
            Assert.Equal(1, completion.Res);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendZc)]
    public void A_zero_copy_buffer_the_kernel_still_holds_at_dispose_is_leaked_not_freed_and_its_socket_can_still_close()
    {
        var (client, server) = Loopback.TcpPair();
        using (server)
        {
            var ring = new Ring(new RingOptions { DrainTimeout = TimeSpan.FromMilliseconds(300) });
            ring.SubmitSendZc(client, new byte[1 << 20]); // the peer never reads: the notification cannot come

            ring.Dispose();

            Assert.Equal(1, ring.Diagnostics.InFlight);
            Assert.Equal(1, ring.Diagnostics.PinnedBuffers);
            Assert.True(Task.Run(client.Dispose).Wait(TimeSpan.FromSeconds(5)), "closing the socket waited for the leaked operation");
        }
    }

    internal static void Drain(System.Net.Sockets.Socket socket)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (socket.Receive(buffer) > 0)
            {
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
    }
}
