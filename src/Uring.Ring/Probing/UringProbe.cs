using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Uring;

/// <summary>
/// Runtime availability checks: can this process create a ring, and what does the kernel support?
/// Answers come from really creating a small private ring, never from the kernel version.
/// </summary>
public static class UringProbe
{
    private static readonly ConcurrentDictionary<(int Entries, RingSetupFlags Flags), Lazy<ProbeResult>> Cache = new();

    /// <summary>The operation probes describe the kernel, not a flag set: run once per process.</summary>
    private static readonly Lazy<FrozenDictionary<string, bool>> Capabilities = new(() =>
    {
        using var ring = new RawRing(2);
        return CapabilityProbes.Run(ring.ProbeOpcodes()).ToFrozenDictionary();
    });

    /// <summary>True when a default ring can be created in this process (cached).</summary>
    public static bool IsAvailable => Probe().Available;

    /// <summary>
    /// Creates a ring of <paramref name="entries"/> with <paramref name="flags"/> (plus
    /// <see cref="RingSetupFlags.SubmitAll"/>, as <see cref="Ring"/> uses), asks it what the kernel
    /// supports, and closes it. Never throws for an unavailable or refusing kernel: the result says
    /// why. Cached per process for each entries/flags pair.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entries"/> is outside 1–32768.</exception>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds a flag Uring does not support.</exception>
    public static ProbeResult Probe(int entries = 2, RingSetupFlags flags = RingSetupFlags.None)
    {
        new RingOptions { Entries = entries, Flags = flags }.Validate();
        return Cache.GetOrAdd((entries, flags), static key => new Lazy<ProbeResult>(() => Run(key.Entries, key.Flags))).Value;
    }

    private static ProbeResult Run(int entries, RingSetupFlags flags)
    {
        try
        {
            using var ring = new RawRing(new RingOptions { Entries = entries, Flags = flags }, RingSetupFlags.SubmitAll);
            if ((ring.Flags & RingSetupFlags.RDisabled) != 0)
            {
                ring.Enable();
            }

            return ProbeResult.Found(entries, flags, ring, ring.ProbeOpcodes(), Capabilities.Value);
        }
        catch (UringUnavailableException e)
        {
            return ProbeResult.Unavailable(entries, flags, e.Message, e.Errno);
        }
        catch (UringException e)
        {
            return ProbeResult.Unavailable(entries, flags, e.Message, e.Errno);
        }
    }
}
