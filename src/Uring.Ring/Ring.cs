using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Uring;

/// <summary>
/// An io_uring instance with an object API: submit socket operations carrying any
/// <c>object? userData</c>, and receive each one's <see cref="Completion"/> from <see cref="Wait"/>.
/// Buffers stay pinned and descriptors referenced until the kernel is done with them.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Any number of threads may submit concurrently (submissions are serialised
/// by a lock; one of them writes the SQ at a time). Any thread may call <see cref="BreakWait"/>.
/// Completions are reaped by <see cref="Wait"/>: concurrent <see cref="Wait"/> calls are serialised —
/// one waits in the kernel, the others queue behind it and each gets its own completion.
/// With <see cref="RingSetupFlags.SingleIssuer"/> only the creating (or enabling) thread may submit;
/// other threads get <see cref="InvalidOperationException"/> before anything reaches the kernel.</para>
/// <para><b>Operation lifetime.</b> The kernel ties a request to the thread that submitted it: if that
/// thread exits while the request is pending, the kernel cancels it (<see cref="Errno.ECANCELED"/>).
/// Submit long-lived operations from threads that outlive them.</para>
/// <para><b>Closing.</b> <see cref="Dispose"/> cancels every operation in flight, waits for their final
/// completions (up to <see cref="RingOptions.DrainTimeout"/>), and only then releases pins and unmaps
/// the rings. If the drain cannot finish, the memory is leaked, never freed under the kernel.</para>
/// </remarks>
public sealed partial class Ring : IDisposable
{
    private const int Open = 0;
    private const int Closing = 1;
    private const int Closed = 2;

    private readonly RawRing _raw;
    private readonly SlotTable _slots;
    private readonly RingWaker _wake;
    private readonly Lock _submitLock = new();
    private readonly Lock _waitLock = new();
    private readonly ILogger _logger;
    private readonly TimeSpan _drainTimeout;
    private readonly bool _inlineContinuations;
    private readonly KeyValuePair<string, object?>? _ringTag;
    private volatile bool _autoSubmit = true;
    private int _state;

    /// <summary>Creates a ring with <paramref name="entries"/> SQEs and the given setup flags.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entries"/> is outside 1–32768.</exception>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds a flag Uring does not support.</exception>
    /// <exception cref="UringUnavailableException">io_uring is absent or forbidden (not Linux, ENOSYS, EPERM).</exception>
    /// <exception cref="UringException">The kernel refused the ring (ENOMEM, EINVAL…); the message says what to do.</exception>
    public Ring(int entries = 8, RingSetupFlags flags = RingSetupFlags.None)
        : this(OptionsFor(entries, flags))
    {
    }

    /// <summary>Creates a ring from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid; nothing reached the kernel.</exception>
    /// <exception cref="UringUnavailableException">io_uring is absent or forbidden.</exception>
    /// <exception cref="UringException">The kernel refused the ring.</exception>
    public Ring(RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _raw = new RawRing(options, RingSetupFlags.SubmitAll);
        try
        {
            _logger = options.Logger ?? NullLogger.Instance;
            Name = options.Name;
            _ringTag = options.Name is { } name ? UringMetrics.RingTag(name) : null;
            _drainTimeout = options.DrainTimeout;
            _inlineContinuations = options.InlineContinuations;
            _slots = new SlotTable(options.MaxInFlight ?? _raw.CqEntries, this);
            EnableGrowth(options.GrowCompletionQueueTo);
            _wake = new RingWaker(_raw.Fd, WakeToken);
            if ((_raw.Flags & RingSetupFlags.RDisabled) == 0)
            {
                StartSubmitting();
            }

            UringMetrics.Track(this);
        }
        catch
        {
            _wake?.Dispose();
            _raw.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The ring's file descriptor, or -1 once the ring is closed (as the seed's <c>fd</c> after
    /// <c>close()</c>): the kernel reuses a closed descriptor's number for the next file anyone
    /// opens, so a stale number would name someone else's file.
    /// </summary>
    public int Fd => IsClosed ? -1 : _raw.Fd;

    /// <summary>The ring's name in metrics (<see cref="RingOptions.Name"/>), or null.</summary>
    public string? Name { get; }

    /// <summary>The <c>ring</c> tag of this ring's measurements; null when it has no name.</summary>
    internal KeyValuePair<string, object?>? MetricTag => _ringTag;

    /// <summary>What the kernel's io_uring offers.</summary>
    public RingFeatures Features => _raw.Features;

    /// <summary>The setup flags in effect (yours plus <see cref="RingSetupFlags.SubmitAll"/>, which a Ring always sets).</summary>
    public RingSetupFlags Flags => _raw.Flags;

    /// <summary>The submission queue's size as the kernel sized it.</summary>
    public int SqEntries => _raw.SqEntries;

    /// <summary>The completion queue's size as the kernel sized it.</summary>
    public int CqEntries => _raw.CqEntries;

    /// <summary>The most operations this ring keeps in flight now (<see cref="RingOptions.MaxInFlight"/>; it rises as the ring grows, see <see cref="RingOptions.GrowCompletionQueueTo"/>).</summary>
    public int MaxInFlight => _slots.Capacity;

    /// <summary>Operations submitted whose final completion has not been reaped yet.</summary>
    public int InFlight => _slots.InUse;

    /// <summary>What the ring lends the kernel right now; see <see cref="RingDiagnostics"/>.</summary>
    public RingDiagnostics Diagnostics => new(_slots.InUse, _slots.PinnedBuffers, _bufferGroups.InUse, StaleCompletions);

    /// <summary>True once <see cref="Dispose"/> has started.</summary>
    public bool IsClosed => Volatile.Read(ref _state) != Open;

    /// <summary>
    /// True (the default): every submit call hands its SQE to the kernel at once, as the seed does.
    /// False: submit calls only prepare SQEs, and <see cref="Flush"/> hands them all over in one
    /// <c>io_uring_enter</c> — batching for callers that submit in bursts. Prepared SQEs are flushed
    /// early only when the SQ is full.
    /// </summary>
    public bool AutoSubmit
    {
        get => _autoSubmit;
        set => _autoSubmit = value;
    }

    /// <summary><c>io_uring_enter</c> calls made to submit so far (a diagnostic: with batching it grows slower than the operation count).</summary>
    public long SubmitCalls => _raw.SubmitCalls;

    /// <summary>Completions the kernel dropped for want of CQ room and memory (see <see cref="RawRing.CompletionOverflow"/>); 0 in a healthy process.</summary>
    public long CompletionOverflow => IsClosed ? 0 : _raw.CompletionOverflow;

    /// <summary>The kernel holds completions that did not fit in the CQ (NODROP): they are delivered as the CQ is reaped, none lost.</summary>
    public bool CompletionsHeldBack => !IsClosed && _raw.CompletionsHeldBack;

    /// <summary>Operations prepared but not yet handed to the kernel (see <see cref="AutoSubmit"/>).</summary>
    public int PendingSubmissions => _raw.PendingSubmissions;

    /// <summary>
    /// Enables a ring created with <see cref="RingSetupFlags.RDisabled"/>. With
    /// <see cref="RingSetupFlags.SingleIssuer"/> the calling thread becomes the only submitter.
    /// </summary>
    public void Enable()
    {
        lock (_submitLock)
        {
            ThrowIfClosed();
            _raw.Enable();
            StartSubmitting();
        }
    }

    /// <summary>
    /// Hands every prepared SQE to the kernel in one <c>io_uring_enter</c> and returns how many it
    /// took. Returns 0 while the kernel cannot take them (its CQ overflow list is full): they stay
    /// queued for the next flush.
    /// </summary>
    public int Flush()
    {
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            DrainDeferredWork();
            var taken = _raw.Submit();
            ReleaseDescriptorsTaken();
            return taken;
        }
    }

    private static RingOptions OptionsFor(int entries, RingSetupFlags flags)
    {
        RingOptions.ValidateEntries(entries, flags, nameof(entries));
        return new RingOptions { Entries = entries, Flags = flags };
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);
}
