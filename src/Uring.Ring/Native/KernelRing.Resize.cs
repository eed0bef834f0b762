namespace Uring.Native;

internal sealed unsafe partial class KernelRing
{
    /// <summary>SMP_CACHE_BYTES: the kernel aligns the SQ index array that follows the CQEs to a cache line.</summary>
    private const uint CacheLine = 64;

    /// <summary>
    /// Whether <see cref="SqArrayOffset"/> reproduces where io_uring_setup put this ring's SQ index
    /// array. Resizing relies on it, since the kernel does not report the new array's offset.
    /// </summary>
    private readonly bool _sqArrayOffsetKnown;

    /// <summary>
    /// Resizes the rings (<c>IORING_REGISTER_RESIZE_RINGS</c>, 6.13; DEFER_TASKRUN rings only). The
    /// kernel builds new rings, copies the published-but-unconsumed SQEs and the unreaped CQEs into
    /// them (EOVERFLOW, changing nothing, when they do not fit) and frees the old ones; then this maps
    /// the new memory and swaps in new <see cref="Sq"/> and <see cref="Cq"/> views over it. Returns 0,
    /// or the negated errno of the register call.
    /// </summary>
    /// <remarks>
    /// Nothing else may touch the queues meanwhile: the caller holds both sides. Unpublished SQEs are
    /// not copied by the kernel, so the caller publishes first. The old mappings are kept (the pages
    /// stay valid, merely stale, while mapped) and unmapped at <see cref="Dispose"/>: a diagnostic
    /// property read on another thread without a lock — the metrics gauge reads the CQ overflow
    /// counter — may still hold the old view, and unmapping under it would fault the process.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The SQ index array's place in the new rings cannot be known (see <see cref="SqArrayOffset"/>).</exception>
    /// <exception cref="UringException">The kernel resized the rings but mapping the new ones failed (ENOMEM): the ring can only be disposed.</exception>
    internal int Resize(uint sqEntries, uint cqEntries)
    {
        var hasSqArray = (Flags & RingSetupFlags.NoSqArray) == 0;
        if (hasSqArray && !_sqArrayOffsetKnown)
        {
            throw new InvalidOperationException(
                "This kernel laid out the ring's SQ index array differently from what Uring expects, so the array could not be found after a resize; create the ring with RingSetupFlags.NoSqArray to resize it.");
        }

        var parameters = default(IoUringParams);
        parameters.SqEntries = sqEntries;
        parameters.CqEntries = cqEntries;
        parameters.Flags = (uint)RingSetupFlags.CqSize;
        var result = Register(RegisterOpcode.ResizeRings, &parameters, 1);
        if (result < 0)
        {
            return result;
        }

        // The kernel wrote the new sizes (rounded up to powers of two) and the ring offsets back, all
        // but the SQ index array's (6.13–6.18 leave it 0): computed the way the kernel placed it. The
        // array of the new rings is all zeros until SubmissionQueue fills in the identity.
        if (hasSqArray && parameters.SqOffsets.Array == 0)
        {
            parameters.SqOffsets.Array = SqArrayOffset(parameters);
        }

        // The rings now live behind the same mmap offsets as before, in new pages.
        var (sqRing, cqRing, sqes) = MapQueues(Fd, parameters, Features);
        var sq = new SubmissionQueue(sqRing.Address, parameters.SqOffsets, (SubmissionQueueEntry*)sqes.Address, hasSqArray);
        var cq = new CompletionQueue((cqRing ?? sqRing).Address, parameters.CqOffsets);
        _retired.Add(_sqRing);
        _retired.Add(_sqes);
        if (_cqRing is not null)
        {
            _retired.Add(_cqRing);
        }

        (_sqRing, _cqRing, _sqes) = (sqRing, cqRing, sqes);
        Volatile.Write(ref _sq, sq);
        Volatile.Write(ref _cq, cq);
        return 0;
    }

    /// <summary>
    /// Where the kernel's <c>rings_size()</c> puts the SQ index array: after the CQEs, aligned to a
    /// cache line. Checked against io_uring_setup's own answer when the ring is created.
    /// </summary>
    private static uint SqArrayOffset(in IoUringParams parameters)
    {
        var end = parameters.CqOffsets.Cqes + (parameters.CqEntries * (uint)sizeof(CompletionQueueEntry));
        return (end + CacheLine - 1) & ~(CacheLine - 1);
    }
}
