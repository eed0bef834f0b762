using System.Collections.Frozen;
using System.Text;
using Uring.Native;

namespace Uring;

/// <summary>
/// What <see cref="UringProbe.Probe"/> found: whether a ring with the probed entries and flags can be
/// created in this process and, if so, what the kernel offers.
/// </summary>
public sealed class ProbeResult
{
    private ProbeResult(bool available, string? unavailableReason, Errno errno, int entries, RingSetupFlags flags)
    {
        Available = available;
        UnavailableReason = unavailableReason;
        Errno = errno;
        Entries = entries;
        Flags = flags;
    }

    /// <summary>True when a ring with <see cref="Entries"/> and <see cref="Flags"/> was created here.</summary>
    public bool Available { get; }

    /// <summary>Why no ring could be created (the exception message, with advice); null when <see cref="Available"/>.</summary>
    public string? UnavailableReason { get; }

    /// <summary>The errno of the refused setup, or <see cref="Errno.None"/>.</summary>
    public Errno Errno { get; }

    /// <summary>The entries the probe asked for.</summary>
    public int Entries { get; }

    /// <summary>The setup flags the probe asked for.</summary>
    public RingSetupFlags Flags { get; }

    /// <summary>The kernel's io_uring features; <see cref="RingFeatures.None"/> when unavailable.</summary>
    public RingFeatures Features { get; private init; }

    /// <summary>The probe ring's SQ size; 0 when unavailable.</summary>
    public int SqEntries { get; private init; }

    /// <summary>The probe ring's CQ size; 0 when unavailable.</summary>
    public int CqEntries { get; private init; }

    /// <summary>Opcodes the kernel reports as supported (<c>IORING_REGISTER_PROBE</c>); empty when unavailable.</summary>
    public IReadOnlySet<RingOpcode> SupportedOpcodes { get; private init; } = FrozenSet<RingOpcode>.Empty;

    /// <summary>
    /// The seed's flat dictionary: empty when unavailable, else <c>"available": true</c> plus, from
    /// runtime operation probes (each really submits the operation on a private ring against a
    /// loopback peer): <c>IORING_ACCEPT_MULTISHOT</c>, <c>IORING_RECV_MULTISHOT</c>,
    /// <c>IORING_OP_SOCKET</c>, <c>IORING_OP_SEND_ZC</c>, <c>IORING_OP_SENDMSG_ZC</c>; beyond the seed,
    /// <c>IORING_REGISTER_FILES_SPARSE</c> (a registered-file table for direct accepts) and
    /// <c>IORING_REGISTER_RESIZE_RINGS</c> (<see cref="Ring.Resize"/>), each tried on a private ring.
    /// </summary>
    public IReadOnlyDictionary<string, bool> Capabilities { get; private init; } = FrozenDictionary<string, bool>.Empty;

    /// <summary>Whether the named capability was found (false when unknown or unavailable).</summary>
    public bool Has(string capability) => Capabilities.TryGetValue(capability, out var found) && found;

    /// <summary>Whether the kernel supports <paramref name="opcode"/>.</summary>
    public bool Supports(RingOpcode opcode) => SupportedOpcodes.Contains(opcode);

    /// <summary>A readable report: availability, features and the supported opcodes.</summary>
    public override string ToString()
    {
        if (!Available)
        {
            return $"io_uring unavailable ({Entries} entries, flags {Flags}): {UnavailableReason}";
        }

        var report = new StringBuilder()
            .Append("io_uring available (").Append(Entries).Append(" entries, flags ").Append(Flags).Append("): ")
            .Append("sq ").Append(SqEntries).Append(", cq ").Append(CqEntries)
            .Append(", features 0x").Append(((uint)Features).ToString("x", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" [").Append(Features).Append(']')
            .Append(", ").Append(SupportedOpcodes.Count).Append(" opcodes [")
            .AppendJoin(' ', SupportedOpcodes.Order())
            .Append("], capabilities [")
            .AppendJoin(' ', Capabilities.Where(c => c.Key != "available").Select(c => $"{c.Key}={c.Value}"))
            .Append(']');
        return report.ToString();
    }

    internal static ProbeResult Unavailable(int entries, RingSetupFlags flags, string reason, Errno errno) =>
        new(false, reason, errno, entries, flags);

    internal static ProbeResult Found(int entries, RingSetupFlags flags, RawRing ring, IReadOnlySet<RingOpcode> opcodes, IReadOnlyDictionary<string, bool> capabilities) =>
        new(true, null, Errno.None, entries, flags)
        {
            Features = ring.Features,
            SqEntries = ring.SqEntries,
            CqEntries = ring.CqEntries,
            SupportedOpcodes = opcodes.ToFrozenSet(),
            Capabilities = capabilities,
        };
}
