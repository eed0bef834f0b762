using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class RingLifecycleTests
{
    [RingFact]
    public void A_new_ring_reports_its_fd_features_and_queue_sizes()
    {
        using var ring = new Ring(entries: 8);

        Assert.True(ring.Fd > 2);
        Assert.Equal(8, ring.SqEntries);
        Assert.Equal(16, ring.CqEntries);
        Assert.Equal(16, ring.MaxInFlight);
        Assert.True(ring.Features.HasFlag(RingFeatures.SingleMmap));
        Assert.True(ring.Flags.HasFlag(RingSetupFlags.SubmitAll));
        Assert.False(ring.IsClosed);
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public void The_kernel_rounds_entries_up_to_a_power_of_two()
    {
        using var ring = new Ring(entries: 5);

        Assert.Equal(8, ring.SqEntries);
    }

    [RingFact]
    public void Options_set_the_completion_queue_size_and_the_in_flight_limit()
    {
        using var ring = new Ring(new RingOptions { Entries = 4, CompletionQueueEntries = 64, MaxInFlight = 10 });

        Assert.Equal(4, ring.SqEntries);
        Assert.Equal(64, ring.CqEntries);
        Assert.Equal(10, ring.MaxInFlight);
    }

    [RingFact]
    public void Dispose_is_idempotent_and_closes_the_ring()
    {
        var ring = new Ring();
        ring.Dispose();
        ring.Dispose();

        Assert.True(ring.IsClosed);
    }

    [RingFact]
    public void A_closed_ring_reports_fd_minus_one_so_a_stale_number_never_names_a_reused_descriptor()
    {
        var ring = new Ring();
        var open = ring.Fd;
        ring.Dispose();

        Assert.True(open > 2);
        Assert.Equal(-1, ring.Fd);
    }

    [RingFact]
    public void A_closed_ring_refuses_every_call_with_object_disposed()
    {
        var ring = new Ring();
        ring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.SubmitNop());
        Assert.Throws<ObjectDisposedException>(() => ring.SubmitRecv(0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => ring.Wait(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => ring.BreakWait());
        Assert.Throws<ObjectDisposedException>(() => ring.Flush());
    }

    [RingFact]
    public void A_disabled_ring_refuses_submissions_until_enabled()
    {
        using var ring = new Ring(8, RingSetupFlags.RDisabled);

        var error = Assert.Throws<InvalidOperationException>(() => ring.SubmitNop());
        Assert.Contains("Enable()", error.Message, StringComparison.Ordinal);

        ring.Enable();
        ring.SubmitNop("after enable");
        Assert.Equal("after enable", ring.Next().UserData);
    }
}
