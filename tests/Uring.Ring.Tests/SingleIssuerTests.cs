using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class SingleIssuerTests
{
    [RingFact]
    public void A_single_issuer_ring_refuses_a_submit_from_another_thread_before_the_kernel_does()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer);
        var error = Assert.Throws<InvalidOperationException>(() => BackgroundThread.Run(() => ring.SubmitNop()));
        Assert.Contains("SingleIssuer", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ring.InFlight);

        ring.SubmitNop("owner");
        Assert.Equal("owner", ring.Next().UserData);
    }

    [RingFact]
    public void The_kernel_itself_refuses_a_foreign_submit_with_eexist()
    {
        using var raw = new RawRing(8, RingSetupFlags.SingleIssuer);
        var error = Assert.Throws<UringException>(() => BackgroundThread.Run(() =>
        {
            raw.TryPrepare(new Ops.NopOperation(), 1);
            raw.Submit();
        }));

        Assert.Equal(Errno.EEXIST, error.Errno);
    }

    [RingFact]
    public void A_disabled_single_issuer_ring_belongs_to_the_thread_that_enables_it()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer | RingSetupFlags.RDisabled);
        BackgroundThread.Run(() =>
        {
            ring.Enable();
            ring.SubmitNop("from the enabling thread");
        });

        Assert.Equal("from the enabling thread", ring.Next().UserData);
        Assert.Throws<InvalidOperationException>(() => ring.SubmitNop());
    }
}
