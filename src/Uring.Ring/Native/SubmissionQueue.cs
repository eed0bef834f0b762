using System.Runtime.CompilerServices;

namespace Uring.Native;

/// <summary>
/// The mmap'd submission ring. Single writer: whoever holds the ring's submit side (see
/// <see cref="RawRing"/>) hands out SQEs against a private tail and publishes it once per batch.
/// </summary>
internal sealed unsafe class SubmissionQueue
{
    private readonly uint* _head;
    private readonly uint* _tail;
    private readonly uint* _flags;
    private readonly uint* _dropped;
    private readonly SubmissionQueueEntry* _entries;
    private readonly uint _mask;

    /// <summary>SQEs handed out so far; ahead of <c>*_tail</c> until <see cref="Publish"/>.</summary>
    private uint _localTail;

    internal SubmissionQueue(byte* ring, in SqRingOffsets offsets, SubmissionQueueEntry* entries, bool hasIndexArray)
    {
        _head = (uint*)(ring + offsets.Head);
        _tail = (uint*)(ring + offsets.Tail);
        _flags = (uint*)(ring + offsets.Flags);
        _dropped = (uint*)(ring + offsets.Dropped);
        _mask = *(uint*)(ring + offsets.RingMask);
        Capacity = *(uint*)(ring + offsets.RingEntries);
        _entries = entries;

        if (hasIndexArray)
        {
            // The index array maps ring positions to SQE slots. Filling it with the identity once, as
            // liburing does, lets every later batch write SQEs in ring order and touch only the tail.
            var array = (uint*)(ring + offsets.Array);
            for (uint i = 0; i < Capacity; i++)
            {
                array[i] = i;
            }
        }

        _localTail = *_tail;
    }

    /// <summary>The number of SQEs in the ring (a power of two).</summary>
    internal uint Capacity { get; }

    /// <summary>SQEs this side may still take before the kernel consumes some.</summary>
    internal uint Space => Capacity - (_localTail - AcquireHead());

    /// <summary>SQEs taken since the last <see cref="Publish"/>.</summary>
    internal uint Unpublished => _localTail - *_tail;

    /// <summary>SQEs published to the kernel, or taken and not yet published, that the kernel has not consumed.</summary>
    internal uint Pending => _localTail - AcquireHead();

    /// <summary>Invalid SQEs the kernel skipped (<c>sq.dropped</c>).</summary>
    internal uint Dropped => Volatile.Read(ref *_dropped);

    /// <summary><c>IORING_SQ_CQ_OVERFLOW</c>: the kernel holds completions on its overflow list until the CQ has room.</summary>
    internal bool CompletionsOverflowed => (Volatile.Read(ref *_flags) & (uint)SqRingFlags.CqOverflow) != 0;

    /// <summary><c>IORING_SQ_TASKRUN</c> (rings set up with TASKRUN_FLAG): the kernel has completion work waiting for an <c>io_uring_enter</c>.</summary>
    internal bool TaskWorkPending => (Volatile.Read(ref *_flags) & (uint)SqRingFlags.TaskRun) != 0;

    /// <summary>
    /// Under SQPOLL: whether the kernel's poller went to sleep and needs <c>IORING_ENTER_SQ_WAKEUP</c>.
    /// The full fence orders our tail store (in <see cref="Publish"/>) before this load, pairing with
    /// the kernel's barrier between setting NEED_WAKEUP and re-reading the tail; without it both sides
    /// could miss each other and the SQEs would sit unseen.
    /// </summary>
    internal bool NeedsWakeup
    {
        get
        {
            Interlocked.MemoryBarrier();
            return (Volatile.Read(ref *_flags) & (uint)SqRingFlags.NeedWakeup) != 0;
        }
    }

    /// <summary>Takes the next SQE, zeroed, or returns a null reference when the ring is full.</summary>
    internal ref SubmissionQueueEntry TryAcquire()
    {
        if (_localTail - AcquireHead() >= Capacity)
        {
            return ref Unsafe.NullRef<SubmissionQueueEntry>();
        }

        ref var entry = ref _entries[_localTail & _mask];
        entry = default;
        _localTail++;
        return ref entry;
    }

    /// <summary>Gives back the most recently taken, unpublished SQE (its preparation failed).</summary>
    internal void ReturnLast()
    {
        if (Unpublished == 0)
        {
            throw new InvalidOperationException("No unpublished submission queue entry to return.");
        }

        _localTail--;
    }

    /// <summary>Publishes every SQE taken so far and returns how many the kernel has yet to consume.</summary>
    internal uint Publish()
    {
        // Release: the SQE contents written above become visible before the new tail; pairs with the
        // kernel's smp_load_acquire of sq.tail in io_submit_sqes (or the SQPOLL thread).
        Volatile.Write(ref *_tail, _localTail);
        return Pending;
    }

    /// <summary>
    /// Acquire: pairs with the kernel's smp_store_release of sq.head after it has read the SQEs, so an
    /// entry is reused only once the kernel is done reading it. Needed under SQPOLL, where the consumer
    /// is another CPU; free on x86-64 otherwise.
    /// </summary>
    private uint AcquireHead() => Volatile.Read(ref *_head);
}
