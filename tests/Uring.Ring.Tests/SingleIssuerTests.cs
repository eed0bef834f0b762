using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class SingleIssuerTests
{
    [RingFact]
    public void A_single_issuer_ring_refuses_a_submit_from_another_thread_before_the_kernel_does()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer);
        Exception? refused = null;
        var other = new Thread(() => refused = Record(() => ring.SubmitNop()));
        other.Start();
        other.Join();

        var error = Assert.IsType<InvalidOperationException>(refused);
        Assert.Contains("SingleIssuer", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ring.InFlight);

        ring.SubmitNop("owner");
        Assert.Equal("owner", ring.Next().UserData);
    }

    [RingFact]
    public void The_kernel_itself_refuses_a_foreign_submit_with_eexist()
    {
        using var raw = new RawRing(8, RingSetupFlags.SingleIssuer);
        Exception? refused = null;
        var other = new Thread(() => refused = Record(() =>
        {
            raw.TryPrepare(new Ops.NopOperation(), 1);
            raw.Submit();
        }));
        other.Start();
        other.Join();

        Assert.Equal(Errno.EEXIST, Assert.IsType<UringException>(refused).Errno);
    }

    [RingFact]
    public void A_disabled_single_issuer_ring_belongs_to_the_thread_that_enables_it()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer | RingSetupFlags.RDisabled);
        var enabler = new Thread(() =>
        {
            ring.Enable();
            ring.SubmitNop("from the enabling thread");
        });
        enabler.Start();
        enabler.Join();

        Assert.Equal("from the enabling thread", ring.Next().UserData);
        Assert.Throws<InvalidOperationException>(() => ring.SubmitNop());
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
