using System.Diagnostics;
using System.Runtime.CompilerServices;
using Uring.Native;
using Uring.Ops;

namespace Uring;

/// <summary>
/// The low-level, allocation-free ring: operations are structs (<see cref="IRingOperation"/>),
/// user data is a caller-chosen <see cref="ulong"/>, completions are reaped in batches into a
/// caller-provided span. Other libraries build on this layer; <see cref="Ring"/> does.
/// </summary>
/// <remarks>
/// <para>Threading: not thread-safe. At any moment at most one thread may use the submission side
/// (<see cref="TryPrepare{TOp}"/>, <see cref="Submit"/>, <see cref="SubmitAndWait"/>,
/// <see cref="Enable"/>) and at most one thread the completion side (<see cref="WaitForCompletions"/>,
/// <see cref="ReapCompletions"/>, <see cref="TryPeekCompletion"/>, <see cref="AdvanceCompletions"/>);
/// the two sides may run concurrently on different threads. With
/// <see cref="RingSetupFlags.SingleIssuer"/> the submission side belongs to the creating (or enabling) thread.</para>
/// <para>Memory: every buffer an operation points at must stay pinned until its final completion
/// (no <see cref="CompletionFlags.More"/>; for zero-copy sends, the <see cref="CompletionFlags.Notification"/>).
/// Disposing does not cancel anything: drain your operations first, or leak their buffers.</para>
/// </remarks>
public sealed class RawRing : IDisposable
{
    private readonly KernelRing _kernel;
    private readonly bool _sqPoll;
    private int _disposed;
    private long _submitCalls;

    /// <summary>Creates a ring with <paramref name="entries"/> SQEs and the given setup flags.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entries"/> is outside 1–32768.</exception>
    /// <exception cref="UringUnavailableException">io_uring is absent or forbidden here.</exception>
    /// <exception cref="UringException">The kernel refused the ring (the message says why and what to do).</exception>
    public RawRing(int entries = 8, RingSetupFlags flags = RingSetupFlags.None)
        : this(new RingOptions { Entries = entries, Flags = flags })
    {
    }

    /// <summary>Creates a ring from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid; nothing reached the kernel.</exception>
    /// <exception cref="UringUnavailableException">io_uring is absent or forbidden here.</exception>
    /// <exception cref="UringException">The kernel refused the ring.</exception>
    public RawRing(RingOptions options)
        : this(options, RingSetupFlags.None)
    {
    }

    internal RawRing(RingOptions options, RingSetupFlags addedFlags)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!OperatingSystem.IsLinux())
        {
            throw new UringUnavailableException($"io_uring exists only on Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
        }

        var entries = (uint)Math.Min(options.Entries, KernelConstants.MaxEntries);
        _kernel = KernelRing.Setup(entries, (uint)(options.CompletionQueueEntries ?? 0), options.Flags | addedFlags, options.SqPollIdle, options.SqPollCpu);
        _sqPoll = (_kernel.Flags & RingSetupFlags.SqPoll) != 0;
    }

    /// <summary>The ring's file descriptor.</summary>
    public int Fd => _kernel.Fd;

    /// <summary>What the kernel's io_uring offers (<c>io_uring_params.features</c>).</summary>
    public RingFeatures Features => _kernel.Features;

    /// <summary>The setup flags the ring was created with.</summary>
    public RingSetupFlags Flags => _kernel.Flags;

    /// <summary>The submission queue's size as the kernel sized it.</summary>
    public int SqEntries => (int)_kernel.Sq.Capacity;

    /// <summary>The completion queue's size as the kernel sized it.</summary>
    public int CqEntries => (int)_kernel.Cq.Capacity;

    /// <summary>SQEs that can be prepared before the next <see cref="Submit"/>.</summary>
    public int SubmissionSpace => (int)_kernel.Sq.Space;

    /// <summary>SQEs prepared (or published) that the kernel has not consumed yet.</summary>
    public int PendingSubmissions => (int)_kernel.Sq.Pending;

    /// <summary>Completions posted and not yet reaped.</summary>
    public int CompletionsReady => (int)_kernel.Cq.Ready;

    /// <summary>
    /// Completions the kernel dropped because the CQ was full and it could not keep them (its
    /// overflow counter). With NODROP (every kernel Uring supports) a full CQ only delays
    /// completions — see <see cref="CompletionsHeldBack"/> — so this stays 0 unless the kernel ran
    /// out of memory for its overflow list.
    /// </summary>
    public int CompletionOverflow => (int)_kernel.Cq.Overflow;

    /// <summary>The kernel holds completions that did not fit in the CQ; they move in as completions are reaped (and an <c>io_uring_enter</c> waits).</summary>
    public bool CompletionsHeldBack => _kernel.Sq.CompletionsOverflowed;

    /// <summary>
    /// Whether the kernel has completion work waiting to run (<c>IORING_SQ_TASKRUN</c>) before it can
    /// post more completions; only known with <see cref="RingSetupFlags.TaskrunFlag"/>, otherwise
    /// always false. Under <see cref="RingSetupFlags.DeferTaskrun"/> that work runs only in
    /// <see cref="GetEvents"/> or a wait.
    /// </summary>
    public bool TaskWorkPending => _kernel.Sq.TaskWorkPending;

    /// <summary><c>io_uring_enter</c> calls made to submit (a diagnostic: batching shows as fewer calls than operations).</summary>
    public long SubmitCalls => Interlocked.Read(ref _submitCalls);

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal KernelRing Kernel => _kernel;

    /// <summary>
    /// Prepares <paramref name="operation"/> in the next SQE with <paramref name="userData"/>; it reaches
    /// the kernel at the next <see cref="Submit"/>. Returns false when the SQ is full (submit, then retry).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPrepare<TOp>(in TOp operation, ulong userData, SqeFlags flags = SqeFlags.None)
        where TOp : struct, IRingOperation
    {
        ref var entry = ref _kernel.Sq.TryAcquire();
        if (Unsafe.IsNullRef(ref entry))
        {
            return false;
        }

        entry.Opcode = (byte)TOp.Opcode;
        operation.Prepare(ref entry);
        entry.Flags |= (byte)flags;
        entry.UserData = userData;
        return true;
    }

    /// <summary>Copies an SQE built elsewhere (by another thread, for this submitting thread) into the queue.</summary>
    internal bool TryPrepare(in SubmissionQueueEntry prepared)
    {
        ref var entry = ref _kernel.Sq.TryAcquire();
        if (Unsafe.IsNullRef(ref entry))
        {
            return false;
        }

        entry = prepared;
        return true;
    }

    /// <summary>
    /// Hands every prepared SQE to the kernel with one <c>io_uring_enter</c> (none under SQPOLL
    /// while the poller is awake). Returns how many the kernel consumed; 0 when it could not take
    /// them now (EAGAIN, or EBUSY while the CQ overflows): they stay queued for the next call.
    /// </summary>
    /// <exception cref="UringException">The kernel refused the submission (EEXIST: not the SingleIssuer thread).</exception>
    public int Submit() => SubmitCore(0, EnterFlags.None);

    /// <summary>Submits every prepared SQE and waits until at least <paramref name="minimumCompletions"/> completions are ready, in one syscall.</summary>
    public int SubmitAndWait(int minimumCompletions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumCompletions);
        return SubmitCore((uint)minimumCompletions, minimumCompletions > 0 ? EnterFlags.GetEvents : EnterFlags.None);
    }

    /// <summary>
    /// Lets the kernel post what it can without waiting: it runs deferred completion work
    /// (<see cref="RingSetupFlags.DeferTaskrun"/>, <see cref="RingSetupFlags.CoopTaskrun"/>) and moves
    /// overflowed completions into the CQ — liburing's <c>io_uring_get_events</c>. One
    /// <c>io_uring_enter</c>; under DeferTaskrun only from the submitter thread.
    /// </summary>
    /// <exception cref="UringException">The kernel refused (EEXIST: not the submitter thread of a DeferTaskrun ring).</exception>
    public void GetEvents()
    {
        ThrowIfDisposed();
        while (true)
        {
            var result = _kernel.Enter(0, 0, EnterFlags.GetEvents);
            switch (result >= 0 ? Errno.None : (Errno)(-result))
            {
                case Errno.None or Errno.EBUSY or Errno.EAGAIN:
                    return;
                case Errno.EINTR:
                    continue;
                case var errno:
                    throw EnterFailure(errno);
            }
        }
    }

    /// <summary>
    /// Blocks until at least <paramref name="minimumCompletions"/> completions are ready or
    /// <paramref name="timeout"/> elapses (null: no limit). Submits nothing, so any thread may wait
    /// (unless the ring has <see cref="RingSetupFlags.DeferTaskrun"/>). Returns false on timeout.
    /// Signals (EINTR) are retried with the remaining time.
    /// </summary>
    public bool WaitForCompletions(int minimumCompletions = 1, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCompletions, 1);
        if (timeout is { } t && t < TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The timeout must not be negative; pass null to wait without a limit.");
        }

        ThrowIfDisposed();
        var wanted = (uint)minimumCompletions;
        var deadline = timeout is { } limit && limit != Timeout.InfiniteTimeSpan ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        while (_kernel.Cq.Ready < wanted)
        {
            int result;
            if (deadline == long.MaxValue)
            {
                result = _kernel.Enter(0, wanted, EnterFlags.GetEvents);
            }
            else
            {
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                result = _kernel.Enter(0, wanted, EnterFlags.GetEvents, remaining);
            }

            if (result >= 0)
            {
                continue;
            }

            switch ((Errno)(-result))
            {
                case Errno.EINTR:
                    continue;
                case Errno.ETIME:
                    return _kernel.Cq.Ready >= wanted;
                case Errno.EBUSY or Errno.EAGAIN:
                    // Completions are stuck in the kernel's overflow list; they flush as the caller reaps.
                    return true;
                case var errno:
                    throw EnterFailure(errno);
            }
        }

        return true;
    }

    /// <summary>Copies up to <c>destination.Length</c> ready completions out, consumes them, and returns how many.</summary>
    public int ReapCompletions(Span<CompletionQueueEntry> destination) => _kernel.Cq.Reap(destination);

    /// <summary>Copies the oldest ready completion without consuming it; pair with <see cref="AdvanceCompletions"/>.</summary>
    public bool TryPeekCompletion(out CompletionQueueEntry completion) => _kernel.Cq.TryPeek(out completion);

    /// <summary>Consumes <paramref name="count"/> completions already read with <see cref="TryPeekCompletion"/>.</summary>
    public void AdvanceCompletions(int count)
    {
        if ((uint)count > _kernel.Cq.Ready)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot consume more completions than are ready.");
        }

        _kernel.Cq.Advance((uint)count);
    }

    /// <summary>
    /// Enables a ring created with <see cref="RingSetupFlags.RDisabled"/>
    /// (<c>IORING_REGISTER_ENABLE_RINGS</c>); with <see cref="RingSetupFlags.SingleIssuer"/> the calling
    /// thread becomes the submitter.
    /// </summary>
    public void Enable()
    {
        ThrowIfDisposed();
        var result = _kernel.EnableRings();
        if (result < 0)
        {
            throw UringException.FromErrno("io_uring_register(IORING_REGISTER_ENABLE_RINGS)", (Errno)(-result),
                (Errno)(-result) == Errno.EBADFD ? "The ring is already enabled." : null);
        }
    }

    /// <summary>
    /// Resizes the submission and completion queues in place (<c>IORING_REGISTER_RESIZE_RINGS</c>,
    /// Linux 6.13+), keeping every operation in flight: SQEs not yet consumed and completions not yet
    /// reaped are copied into the new queues, and <see cref="SqEntries"/> / <see cref="CqEntries"/>
    /// report the new sizes (powers of two, rounded up). Prepared SQEs are published first.
    /// </summary>
    /// <remarks>
    /// The kernel resizes only rings created with <see cref="RingSetupFlags.DeferTaskrun"/> (and so
    /// <see cref="RingSetupFlags.SingleIssuer"/>): call it on the submitter thread, and let no other
    /// thread use either side of the ring meanwhile. The queues live in new memory afterwards; the
    /// old mappings stay reserved until <see cref="Dispose"/> (a few pages per resize).
    /// </remarks>
    /// <param name="sqEntries">New submission queue size, 1 to 32768.</param>
    /// <param name="cqEntries">New completion queue size, from <paramref name="sqEntries"/> to 65536.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="InvalidOperationException">The ring was not created with DeferTaskrun.</exception>
    /// <exception cref="UringException">The kernel refused (EOVERFLOW: the new queues cannot hold what is pending; EEXIST: not the submitter thread; EINVAL: a kernel before 6.13).</exception>
    public void Resize(int sqEntries, int cqEntries)
    {
        ValidateResize(Flags, sqEntries, cqEntries);
        ThrowIfDisposed();
        _kernel.Sq.Publish();
        var result = _kernel.Resize((uint)sqEntries, (uint)cqEntries);
        if (result < 0)
        {
            throw ResizeFailure((Errno)(-result), sqEntries, cqEntries);
        }
    }

    /// <summary>The managed checks of <see cref="Resize"/>: sizes and the DeferTaskrun requirement, before anything reaches the kernel.</summary>
    internal static void ValidateResize(RingSetupFlags flags, int sqEntries, int cqEntries)
    {
        if ((flags & RingSetupFlags.DeferTaskrun) == 0)
        {
            throw new InvalidOperationException(
                "The kernel resizes only rings created with RingSetupFlags.DeferTaskrun (which needs SingleIssuer): create the ring with RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun to resize it later, or create a new ring of the size you need.");
        }

        if (sqEntries < 1 || sqEntries > KernelConstants.MaxEntries)
        {
            throw new ArgumentOutOfRangeException(nameof(sqEntries), sqEntries, $"Submission queue entries must be between 1 and {KernelConstants.MaxEntries}.");
        }

        if (cqEntries < sqEntries || cqEntries > KernelConstants.MaxCqEntries)
        {
            throw new ArgumentOutOfRangeException(nameof(cqEntries), cqEntries,
                $"Completion queue entries must be between the submission queue's ({sqEntries}) and {KernelConstants.MaxCqEntries}.");
        }
    }

    private UringException ResizeFailure(Errno errno, int sqEntries, int cqEntries) => UringException.FromErrno("io_uring_register(IORING_REGISTER_RESIZE_RINGS)", errno, errno switch
    {
        Errno.EOVERFLOW => $"The new queues ({sqEntries} SQEs, {cqEntries} CQEs, rounded up to powers of two) cannot hold what is pending now ({_kernel.Cq.Ready} completions not reaped, {_kernel.Sq.Pending} submissions not consumed); nothing was changed. Reap completions (and submit) first, or resize to larger queues.",
        Errno.EEXIST => "This SingleIssuer ring may be resized only by its submitter thread (the one that created or enabled it).",
        Errno.EINVAL => "This kernel does not support resizing rings (Linux 6.13+), or refused the sizes.",
        _ => null,
    });

    /// <summary>Supported opcodes according to <c>IORING_REGISTER_PROBE</c>.</summary>
    public IReadOnlySet<RingOpcode> ProbeOpcodes()
    {
        ThrowIfDisposed();
        return _kernel.ProbeOpcodes();
    }

    /// <summary>Unmaps the rings and closes the fd. Idempotent. Operations still in flight keep whatever they point at in use.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _kernel.Dispose();
        }
    }

    internal static UringException EnterFailure(Errno errno) => errno switch
    {
        Errno.EEXIST => UringException.FromErrno("io_uring_enter", errno,
            "The ring was created with SingleIssuer and this thread is not its submitter; submit from the thread that created (or enabled) it."),
        Errno.EBADR => UringException.FromErrno("io_uring_enter", errno,
            "The kernel dropped completions (CQ overflow without room to buffer them); keep in-flight operations at or below the CQ size."),
        _ => UringException.FromErrno("io_uring_enter", errno),
    };

    /// <summary>
    /// On an SQPOLL ring, waits up to <paramref name="limit"/> for the kernel's submission thread to
    /// take published entries (waking it if it sleeps), so a full SQ gets room. False when it did not,
    /// and at once on any other ring, whose entries only an <c>io_uring_enter</c> takes.
    /// </summary>
    internal bool WaitForSubmissionSpace(TimeSpan limit)
    {
        if (!_sqPoll)
        {
            return false;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var spinner = default(SpinWait);
        while (_kernel.Sq.Space == 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            SubmitCore(0, EnterFlags.None); // wakes a sleeping poller
            spinner.SpinOnce();
        }

        return true;
    }

    private int SubmitCore(uint minComplete, EnterFlags flags)
    {
        ThrowIfDisposed();
        var sq = _kernel.Sq;
        var pending = sq.Publish();
        if (_sqPoll)
        {
            // The kernel's poller takes published SQEs on its own; a syscall is needed only to wake it or to wait.
            if (pending > 0 && sq.NeedsWakeup)
            {
                flags |= EnterFlags.SqWakeup;
            }
            else if (minComplete == 0)
            {
                return (int)pending;
            }
        }
        else if (pending == 0 && minComplete == 0)
        {
            return 0;
        }

        while (true)
        {
            Interlocked.Increment(ref _submitCalls);
            var result = _kernel.Enter(pending, minComplete, flags);
            if (result >= 0)
            {
                return _sqPoll ? (int)pending : result;
            }

            switch ((Errno)(-result))
            {
                case Errno.EINTR:
                    // Whatever the kernel consumed before the signal is gone from the queue; retry the rest.
                    pending = sq.Pending;
                    continue;
                case Errno.EAGAIN or Errno.EBUSY:
                    return 0;
                case var errno:
                    throw EnterFailure(errno);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
