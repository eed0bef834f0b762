using Uring.Native;

namespace Uring.Tests.Infrastructure;

/// <summary>
/// Tests of io_uring_register features that the opcode probe cannot see: each is tried once on a
/// private ring, and a refusal skips the test with the kernel's answer.
/// </summary>
public static class RegistrationRequirements
{
    private static readonly Lazy<string?> FileTable = new(() => Try(ring => ring.RegisterFileTable(1)));

    private static readonly Lazy<string?> Resize = new(() =>
        Try(ring => ring.Resize(ring.SqEntries, ring.CqEntries), RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun));

    /// <summary>Why a sparse registered-file table (and accepts into it) cannot be tested here; null when it can.</summary>
    public static string? FileTableSkipReason =>
        RingRequirements.SkipReason(RingOpcode.Accept) ?? RingRequirements.SkipReason(RingOpcode.Close) ?? FileTable.Value;

    /// <summary>Why ring resizing cannot be tested here; null when it can.</summary>
    public static string? ResizeSkipReason => RingRequirements.SkipReason(RingOpcode.Nop) ?? Resize.Value;

    private static string? Try(Action<Ring> register, RingSetupFlags flags = RingSetupFlags.None)
    {
        if (!UringProbe.Probe().Available)
        {
            return null; // RingFact's own rule: fail (or skip when allowed) with the probe's reason
        }

        try
        {
            using var ring = new Ring(8, flags);
            register(ring);
            return null;
        }
        catch (UringException e)
        {
            return $"this kernel refused the registration: {e.Message}";
        }
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
