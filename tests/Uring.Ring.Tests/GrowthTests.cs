using Microsoft.Extensions.Logging;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Automatic growth (RingOptions.GrowCompletionQueueTo): the CQ and the in-flight limit double instead of refusing.</summary>
public class GrowthTests
{
    private const RingSetupFlags Resizable = RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun;

    private static RingOptions Growing(int cq, int cap, ILogger? logger = null) =>
        new() { Entries = 16, CompletionQueueEntries = cq, GrowCompletionQueueTo = cap, Flags = Resizable, Logger = logger };

    [ResizeFact]
    public void A_64_entry_ring_keeps_1000_operations_in_flight_by_growing_and_completes_every_one()
    {
        var logger = new ListLogger();
        using var ring = new Ring(Growing(64, 4096, logger));
        var steps = new List<CompletionQueueGrowth>();
        ring.CompletionQueueGrew = steps.Add;
        Assert.Equal((64, 64), (ring.CqEntries, ring.MaxInFlight));

        for (var i = 0; i < 1000; i++)
        {
            ring.SubmitTimeout(TimeSpan.FromMilliseconds(100), i);
        }

        Assert.Equal(1000, ring.InFlight);
        Assert.Equal((1024, 1024), (ring.CqEntries, ring.MaxInFlight));
        Assert.Equal(
            [new(64, 128, 128, 4096), new(128, 256, 256, 4096), new(256, 512, 512, 4096), new(512, 1024, 1024, 4096)],
            steps);
        Assert.Equal(4, logger.Messages.Count(m => m.Level == LogLevel.Information && m.Text.Contains("completion queue grew")));

        var delivered = ring.NextByUserData(1000);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(-(int)Errno.ETIME, delivered[i].Res));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [ResizeFact]
    public void At_the_cap_the_next_operation_is_refused_as_on_a_ring_that_does_not_grow()
    {
        using var ring = new Ring(Growing(64, 128));
        for (var i = 0; i < 128; i++)
        {
            ring.SubmitTimeout(TimeSpan.FromMilliseconds(50), i);
        }

        var full = Assert.Throws<SubmissionQueueFullException>(() => ring.SubmitNop());
        Assert.True(full.InFlightLimitReached);
        Assert.Equal((128, 128), (ring.CqEntries, ring.MaxInFlight));
        Assert.Equal(128, ring.NextByUserData(128).Count);
    }

    [ResizeFact]
    public void A_growth_handler_that_throws_is_logged_and_the_submission_still_goes_in()
    {
        var logger = new ListLogger();
        using var ring = new Ring(Growing(16, 64, logger));
        ring.CompletionQueueGrew = _ => throw new InvalidOperationException("handler bug");
        for (var i = 0; i < 17; i++)
        {
            ring.SubmitNop(i);
        }

        Assert.Equal(32, ring.CqEntries);
        Assert.Contains(logger.Messages, m => m.Level == LogLevel.Error && m.Text.Contains("CompletionQueueGrew handler threw"));
        Assert.Equal(17, ring.NextByUserData(17).Count);
    }

    [ResizeFact]
    public void A_full_ring_on_another_thread_than_its_submitter_is_refused_rather_than_resized()
    {
        using var ring = new Ring(Growing(16, 64));
        for (var i = 0; i < 16; i++)
        {
            ring.SubmitNop(i);
        }

        Exception? refused = null;
        BackgroundThread.Run(() => refused = Record.Exception(() => ring.SubmitNop()));
        Assert.IsType<SubmissionQueueFullException>(refused);
        Assert.Equal(16, ring.CqEntries);
        Assert.Equal(16, ring.NextByUserData(16).Count);
    }

    public static TheoryData<RingOptions, string> InvalidGrowth => new()
    {
        { new RingOptions { Entries = 16, CompletionQueueEntries = 64, GrowCompletionQueueTo = 32, Flags = Resizable }, "GrowCompletionQueueTo" },
        { new RingOptions { Entries = 16, GrowCompletionQueueTo = 65537, Flags = Resizable }, "GrowCompletionQueueTo" },
        { new RingOptions { Entries = 16, GrowCompletionQueueTo = 1024, Flags = RingSetupFlags.SingleIssuer }, "DeferTaskrun" },
        { new RingOptions { Entries = 16, GrowCompletionQueueTo = 1024, MaxInFlight = 64, Flags = Resizable }, "MaxInFlight" },
    };

    [Theory]
    [MemberData(nameof(InvalidGrowth))]
    public void Growth_options_that_cannot_work_are_refused_before_a_ring_is_made(RingOptions options, string named)
    {
        var refused = Assert.ThrowsAny<ArgumentException>(() => new Ring(options));
        Assert.Equal(nameof(RingOptions.GrowCompletionQueueTo), refused.ParamName);
        Assert.Contains(named, refused.Message);
    }
}
