using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class TimeoutTests
{
    [RingFact(RequiresOpcode = RingOpcode.Timeout)]
    public void A_timeout_completes_with_etime_once_its_time_has_passed_and_not_before()
    {
        using var ring = new Ring();
        var armed = DateTime.UtcNow;

        ring.SubmitTimeout(TimeSpan.FromMilliseconds(100), "timer");

        Assert.Null(ring.Wait(TimeSpan.Zero)); // still ticking
        var expired = ring.Next();
        Assert.Equal("timer", expired.UserData);
        Assert.Equal(CompletionKind.Timeout, expired.Kind);
        Assert.Equal(Errno.ETIME, expired.Error);
        Assert.True(DateTime.UtcNow - armed >= TimeSpan.FromMilliseconds(90), "the timer fired early"); // a lower bound only: no timing claim
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.Timeout)]
    public void A_cancelled_timeout_ends_with_ecanceled()
    {
        using var ring = new Ring();
        var timer = ring.SubmitTimeout(TimeSpan.FromMinutes(10), "timer");

        ring.SubmitCancel(timer, "cancel");
        var outcomes = ring.NextByUserData(2);

        Assert.Equal(Errno.ECANCELED, outcomes["timer"].Error);
        Assert.Equal(0, outcomes["cancel"].Res);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.Timeout)]
    public async Task An_awaited_timeout_completes_and_a_cancelled_one_throws_after_the_kernel_confirmed()
    {
        using var ring = new Ring();
        using (ring.StartCompletionThread())
        {
            Assert.Equal(Errno.ETIME, (await ring.TimeoutAsync(TimeSpan.FromMilliseconds(10)).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Error);

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ring.TimeoutAsync(TimeSpan.FromMinutes(10), cancel.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void A_negative_timeout_is_refused_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("after", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitTimeout(TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }
}
