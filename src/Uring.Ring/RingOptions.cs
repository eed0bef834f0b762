using Microsoft.Extensions.Logging;
using Uring.Native;

namespace Uring;

/// <summary>How to create a <see cref="Ring"/> or <see cref="RawRing"/>. Every property has a working default.</summary>
public sealed class RingOptions
{
    /// <summary>Requested submission queue depth, 1 to 32768 (the kernel rounds up to a power of two). Default 8.</summary>
    public int Entries { get; set; } = 8;

    /// <summary>Setup flags; check them with <see cref="UringProbe.Probe(int, RingSetupFlags)"/> first. Default none.</summary>
    public RingSetupFlags Flags { get; set; }

    /// <summary>Completion queue depth, at least <see cref="Entries"/> and at most 65536; null lets the kernel choose (twice the SQ).</summary>
    public int? CompletionQueueEntries { get; set; }

    /// <summary>
    /// The most operations a <see cref="Ring"/> keeps in flight; one more is refused with
    /// <see cref="SubmissionQueueFullException"/>. Null means the CQ size, so completions of
    /// one-shot operations can never overflow the CQ. At most 1,048,576.
    /// </summary>
    public int? MaxInFlight { get; set; }

    /// <summary>
    /// Automatic growth, up to this many CQ entries (at most 65536): when every operation slot is
    /// taken, the next submission first doubles the completion queue with <see cref="Ring.Resize"/>,
    /// and the in-flight limit with it, instead of being refused. Each step is reported to
    /// <see cref="Ring.CompletionQueueGrew"/> and logged. Needs <see cref="RingSetupFlags.DeferTaskrun"/>
    /// (the kernel resizes only those rings), a kernel with <c>IORING_REGISTER_RESIZE_RINGS</c> (6.13),
    /// and <see cref="MaxInFlight"/> left null, since the limit follows the CQ. The ring grows on
    /// its submitter thread and not while workers serve it (<see cref="Ring.ServeCompletions"/>);
    /// there, and at the cap, the limit holds as without growth. Default null: the CQ keeps its size.
    /// </summary>
    public int? GrowCompletionQueueTo { get; set; }

    /// <summary>
    /// How long <see cref="Ring.Dispose"/> waits for cancelled operations to post their final
    /// completions before it gives up and leaks (never frees) the memory they may still touch. Default 5 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// False (the default): an awaited operation's continuation runs on the thread pool. True: it runs
    /// inline on the thread that reaped the completion — with a <see cref="CompletionThread"/>, that
    /// thread, so the next operation the continuation starts is submitted there with no thread hop.
    /// Fast, but a continuation that blocks stalls every completion of the ring: opt in only for
    /// code that never blocks.
    /// </summary>
    public bool InlineContinuations { get; set; }

    /// <summary>Where the ring reports what it cannot throw (leaks on dispose, failing callbacks). Default: none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// Names the ring in the <c>Uring</c> meter: its measurements carry the tag <c>ring</c> with this
    /// value, and it has its own series in the per-ring instruments (<c>uring.ring.in_flight</c>).
    /// Uring.Actors names its rings by index ("0", "1", …). Default: none (untagged, counted only in the totals).
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// With <see cref="RingSetupFlags.SqPoll"/>: how long the kernel's submission thread keeps polling
    /// after the last submission before it sleeps (<c>sq_thread_idle</c>). While it polls, a submit
    /// needs no syscall; once it sleeps, the next submit wakes it (<c>IORING_SQ_NEED_WAKEUP</c>).
    /// Default: null, the kernel's 1 s (which 0 also means).
    /// </summary>
    public TimeSpan? SqPollIdle { get; set; }

    /// <summary>With <see cref="RingSetupFlags.SqPoll"/>: the CPU the kernel's submission thread runs on (<c>IORING_SETUP_SQ_AFF</c>). Default: null, any CPU.</summary>
    public int? SqPollCpu { get; set; }

    /// <summary>The largest <see cref="MaxInFlight"/>.</summary>
    internal const int MaxInFlightLimit = 1 << 20;

    /// <summary>Setup flags whose memory layout or completion model <see cref="RawRing"/> does not implement.</summary>
    internal const RingSetupFlags UnsupportedFlags =
        RingSetupFlags.IoPoll | RingSetupFlags.AttachWq | RingSetupFlags.Sqe128 | RingSetupFlags.Cqe32 |
        RingSetupFlags.NoMmap | RingSetupFlags.RegisteredFdOnly | RingSetupFlags.HybridIoPoll | RingSetupFlags.CqSize;

    private void ValidateGrowth()
    {
        if (GrowCompletionQueueTo is not { } cap)
        {
            return;
        }

        if (cap < (CompletionQueueEntries ?? Entries) || cap > KernelConstants.MaxCqEntries)
        {
            throw new ArgumentOutOfRangeException(nameof(GrowCompletionQueueTo), cap,
                $"GrowCompletionQueueTo must be between the completion queue's starting size ({CompletionQueueEntries ?? Entries}) and {KernelConstants.MaxCqEntries}, or null for a ring that keeps its size.");
        }

        if ((Flags & RingSetupFlags.DeferTaskrun) == 0)
        {
            throw new ArgumentException(
                "GrowCompletionQueueTo needs Flags to include RingSetupFlags.DeferTaskrun (with SingleIssuer): the kernel resizes only those rings. Add the flags, or leave GrowCompletionQueueTo null.",
                nameof(GrowCompletionQueueTo));
        }

        if (MaxInFlight is not null)
        {
            throw new ArgumentException(
                "GrowCompletionQueueTo raises the in-flight limit with the completion queue, so MaxInFlight must be left null; set one or the other.",
                nameof(GrowCompletionQueueTo));
        }
    }

    /// <summary>Throws the argument exception that names the bad property and its fix; no kernel call is made.</summary>
    internal void Validate()
    {
        ValidateEntries(Entries, Flags, nameof(Entries));

        if (CompletionQueueEntries is { } cq && (cq < Entries || cq > KernelConstants.MaxCqEntries))
        {
            throw new ArgumentOutOfRangeException(nameof(CompletionQueueEntries), cq,
                $"Completion queue entries must be between Entries ({Entries}) and {KernelConstants.MaxCqEntries}, or null for the kernel's default of twice the submission queue.");
        }

        if (MaxInFlight is { } max && (max < 1 || max > MaxInFlightLimit))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlight), max,
                $"MaxInFlight must be between 1 and {MaxInFlightLimit}, or null for the completion queue size.");
        }

        ValidateGrowth();

        if ((Flags & UnsupportedFlags) != 0)
        {
            throw new ArgumentException(
                $"Setup flags {Flags & UnsupportedFlags} are not supported by Uring's rings (they change the SQE/CQE layout, need application-provided memory, or suit only block-device polling). Use CompletionQueueEntries instead of RingSetupFlags.CqSize.",
                nameof(Flags));
        }

        if ((Flags & ~KnownFlags) != 0)
        {
            throw new ArgumentException($"Setup flags 0x{(uint)(Flags & ~KnownFlags):x} are unknown to Uring.", nameof(Flags));
        }

        if (Name is { Length: 0 })
        {
            throw new ArgumentException("Name must not be empty; leave it null for an unnamed ring.", nameof(Name));
        }

        if ((SqPollIdle is not null || SqPollCpu is not null) && (Flags & RingSetupFlags.SqPoll) == 0)
        {
            throw new ArgumentException("SqPollIdle and SqPollCpu configure the kernel's submission thread: set RingSetupFlags.SqPoll in Flags too, or leave them null.", SqPollIdle is not null ? nameof(SqPollIdle) : nameof(SqPollCpu));
        }

        if (SqPollIdle is { } idle && (idle < TimeSpan.Zero || idle.TotalMilliseconds > uint.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(SqPollIdle), idle, "SqPollIdle must be between 0 and 49 days (whole milliseconds), or null for the kernel's 1 s.");
        }

        if (SqPollCpu is { } cpu && cpu < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SqPollCpu), cpu, "SqPollCpu is a CPU number (0 or more), or null for any CPU.");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "DrainTimeout must not be negative.");
        }
    }

    private const RingSetupFlags KnownFlags = (RingSetupFlags)((1u << 18) - 1);

    /// <summary>Refuses an entry count the kernel would refuse, naming <paramref name="paramName"/>.</summary>
    internal static void ValidateEntries(int entries, RingSetupFlags flags, string paramName)
    {
        if (entries < 1 || (entries > KernelConstants.MaxEntries && (flags & RingSetupFlags.Clamp) == 0))
        {
            throw new ArgumentOutOfRangeException(paramName, entries,
                $"Ring entries must be between 1 and {KernelConstants.MaxEntries} (or larger with RingSetupFlags.Clamp, which clamps to that limit).");
        }
    }
}
