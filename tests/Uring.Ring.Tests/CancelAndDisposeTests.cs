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
}
