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
        _kernel = KernelRing.Setup(entries, (uint)(options.CompletionQueueEntries ?? 0), options.Flags | addedFlags);
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
