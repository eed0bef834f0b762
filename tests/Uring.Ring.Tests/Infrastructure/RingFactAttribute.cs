using Uring.Native;

namespace Uring.Tests.Infrastructure;

/// <summary>
/// A test that needs io_uring. When io_uring is unavailable the test runs and fails with the probe's
/// reason (so CI cannot pass on a machine without io_uring), unless
/// <c>URING_TESTS_ALLOW_UNAVAILABLE=1</c> asks to skip instead. A test that needs a newer kernel
/// feature names it in <see cref="RequiresOpcode"/> and skips with the probe's reason when absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RingFactAttribute : FactAttribute
{
    private string? _skip;

    /// <summary>An opcode the test needs; the test skips when the kernel lacks it.</summary>
    public RingOpcode RequiresOpcode { get; set; } = RingOpcode.Nop;

    /// <summary>Setup flags the test needs; the test skips when the kernel refuses a ring with them.</summary>
    public RingSetupFlags RequiresSetup { get; set; }

    public override string? Skip
    {
        get => _skip ?? RingRequirements.SkipReason(RequiresOpcode) ?? RingRequirements.SkipReason(RequiresSetup);
        set => _skip = value;
    }
}

/// <summary>Decides, from the runtime probe, whether a test can run here.</summary>
public static class RingRequirements
{
    public const string AllowUnavailableVariable = "URING_TESTS_ALLOW_UNAVAILABLE";

    public static bool AllowUnavailable => Environment.GetEnvironmentVariable(AllowUnavailableVariable) == "1";

    public static string? SkipReason(RingOpcode opcode)
    {
        var probe = UringProbe.Probe();
        if (!probe.Available)
        {
            return AllowUnavailable ? $"io_uring unavailable: {probe.UnavailableReason}" : null;
        }

        return probe.Supports(opcode) ? null : $"this kernel does not support {opcode} (IORING_REGISTER_PROBE)";
    }

    public static string? SkipReason(RingSetupFlags flags)
    {
        if (flags == RingSetupFlags.None || !UringProbe.Probe().Available)
        {
            return null; // nothing asked, or the unavailable case SkipReason(opcode) decides
        }

        var probe = UringProbe.Probe(flags: flags);
        return probe.Available ? null : $"this kernel refuses a ring with {flags}: {probe.UnavailableReason}";
    }
}

/// <summary>A theory that needs io_uring; see <see cref="RingFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RingTheoryAttribute : TheoryAttribute
{
    private string? _skip;

    /// <summary>An opcode the test needs; the test skips when the kernel lacks it.</summary>
    public RingOpcode RequiresOpcode { get; set; } = RingOpcode.Nop;

    /// <summary>Setup flags the test needs; the test skips when the kernel refuses a ring with them.</summary>
    public RingSetupFlags RequiresSetup { get; set; }

    public override string? Skip
    {
        get => _skip ?? RingRequirements.SkipReason(RequiresOpcode) ?? RingRequirements.SkipReason(RequiresSetup);
        set => _skip = value;
    }
}
