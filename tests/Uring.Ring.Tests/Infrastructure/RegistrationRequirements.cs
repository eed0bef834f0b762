using Uring.Native;

namespace Uring.Tests.Infrastructure;

/// <summary>
/// Tests of io_uring_register features that the opcode list cannot show: the probe tries each on a
/// private ring (<see cref="ProbeResult.Capabilities"/>), and a refusal skips the test with its reason.
/// </summary>
public static class RegistrationRequirements
{
    /// <summary>Why a sparse registered-file table (and accepts into it) cannot be tested here; null when it can.</summary>
    public static string? FileTableSkipReason =>
        RingRequirements.SkipReason(RingOpcode.Accept) ?? RingRequirements.SkipReason(RingOpcode.Close) ?? Missing("IORING_REGISTER_FILES_SPARSE");

    /// <summary>Why ring resizing cannot be tested here; null when it can.</summary>
    public static string? ResizeSkipReason => RingRequirements.SkipReason(RingOpcode.Nop) ?? Missing("IORING_REGISTER_RESIZE_RINGS");

    /// <summary>The probe's verdict on a registration capability; null where the probe is unavailable, so RingFact's own rule applies (fail, or skip when allowed).</summary>
    private static string? Missing(string capability)
    {
        var probe = UringProbe.Probe();
        return !probe.Available || probe.Has(capability) ? null : $"the probe found no {capability} on this kernel (its registration was refused)";
    }
}

/// <summary>A test of registered (direct) files; skips when the kernel refuses a sparse file table.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileTableFactAttribute : FactAttribute
{
    private string? _skip;

    public override string? Skip
    {
        get => _skip ?? RegistrationRequirements.FileTableSkipReason;
        set => _skip = value;
    }
}

/// <summary>A test of ring resizing; skips when the kernel refuses IORING_REGISTER_RESIZE_RINGS (before 6.13).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResizeFactAttribute : FactAttribute
{
    private string? _skip;

    public override string? Skip
    {
        get => _skip ?? RegistrationRequirements.ResizeSkipReason;
        set => _skip = value;
    }
}
