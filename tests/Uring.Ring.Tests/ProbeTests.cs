using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class ProbeTests
{
    [Fact]
    public void Io_uring_is_available_on_this_machine_or_the_suite_fails()
    {
        var probe = UringProbe.Probe();
        if (!probe.Available && RingRequirements.AllowUnavailable)
        {
            return;
        }

        Assert.True(probe.Available, $"io_uring is unavailable here, so every ring test would fail: {probe.UnavailableReason}");
        Assert.True(UringProbe.IsAvailable);
    }

    [RingFact]
    public void Probe_reports_features_sizes_and_the_supported_opcodes()
    {
        var probe = UringProbe.Probe();

        Assert.True(probe.Available);
        Assert.Null(probe.UnavailableReason);
        Assert.True(probe.Features.HasFlag(RingFeatures.SingleMmap));
        Assert.True(probe.Features.HasFlag(RingFeatures.NoDrop));
        Assert.True(probe.Features.HasFlag(RingFeatures.ExtArg));
        Assert.Equal(2, probe.SqEntries);
        Assert.True(probe.CqEntries >= 4);
        Assert.Contains(RingOpcode.Nop, probe.SupportedOpcodes);
        Assert.True(probe.Supports(RingOpcode.Recv));
        Assert.True(probe.Supports(RingOpcode.Send));
        Assert.True(probe.Capabilities["available"]);
        Assert.Contains("Recv", probe.ToString(), StringComparison.Ordinal);
    }

    [RingFact]
    public void The_capability_dictionary_holds_the_seeds_five_keys_and_the_three_this_library_adds()
    {
        string[] seeds = ["available", "IORING_ACCEPT_MULTISHOT", "IORING_RECV_MULTISHOT", "IORING_OP_SEND_ZC", "IORING_OP_SENDMSG_ZC"];
        string[] added = ["IORING_OP_SOCKET", "IORING_REGISTER_FILES_SPARSE", "IORING_REGISTER_RESIZE_RINGS"];

        Assert.Equal(seeds.Concat(added).Order(StringComparer.Ordinal), UringProbe.Probe().Capabilities.Keys.Order(StringComparer.Ordinal));
    }

    [RingFact]
    public void Probe_is_cached_per_entries_and_flags()
    {
        Assert.Same(UringProbe.Probe(), UringProbe.Probe(2, RingSetupFlags.None));
        Assert.NotSame(UringProbe.Probe(4), UringProbe.Probe(2));
    }

    [RingFact]
    public void Probe_accepts_single_issuer_on_a_kernel_that_has_it()
    {
        var probe = UringProbe.Probe(flags: RingSetupFlags.SingleIssuer);

        Assert.True(probe.Available, probe.UnavailableReason);
        Assert.Equal(RingSetupFlags.SingleIssuer, probe.Flags);
    }

    [RingFact]
    public void Probe_of_flags_the_kernel_rejects_is_unavailable_with_the_reason()
    {
        // DEFER_TASKRUN requires SINGLE_ISSUER: every kernel refuses it alone with EINVAL.
        var probe = UringProbe.Probe(flags: RingSetupFlags.DeferTaskrun);

        Assert.False(probe.Available);
        Assert.Equal(Errno.EINVAL, probe.Errno);
        Assert.Contains("DeferTaskrun", probe.UnavailableReason, StringComparison.Ordinal);
        Assert.Empty(probe.Capabilities);
        Assert.Empty(probe.SupportedOpcodes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(40000)]
    public void Probe_refuses_invalid_entries_before_the_kernel(int entries)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => UringProbe.Probe(entries));
        Assert.Equal("Entries", error.ParamName);
    }
}
