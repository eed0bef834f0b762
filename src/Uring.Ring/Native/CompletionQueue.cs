namespace Uring.Native;

/// <summary>
/// The mmap'd completion ring. Single reader: whoever holds the ring's reap side (see
/// <see cref="RawRing"/>) reads CQEs and advances the head.
/// </summary>
internal sealed unsafe class CompletionQueue
{
    private readonly uint* _head;
    private readonly uint* _tail;
    private readonly uint* _overflow;
    private readonly CompletionQueueEntry* _entries;
    private readonly uint _mask;

    internal CompletionQueue(byte* ring, in CqRingOffsets offsets)
    {
        _head = (uint*)(ring + offsets.Head);
        _tail = (uint*)(ring + offsets.Tail);
        _overflow = (uint*)(ring + offsets.Overflow);
        _entries = (CompletionQueueEntry*)(ring + offsets.Cqes);
        _mask = *(uint*)(ring + offsets.RingMask);
        Capacity = *(uint*)(ring + offsets.RingEntries);
    }

    /// <summary>The number of CQEs in the ring (a power of two).</summary>
    internal uint Capacity { get; }

    /// <summary>CQEs posted and not yet consumed.</summary>
    internal uint Ready => AcquireTail() - *_head;

    /// <summary>CQEs the kernel could not post (<c>cq.overflow</c>); with NODROP they are queued, not lost.</summary>
    internal uint Overflow => Volatile.Read(ref *_overflow);

    /// <summary>Copies the oldest unconsumed CQE without consuming it.</summary>
    internal bool TryPeek(out CompletionQueueEntry entry)
    {
        // Only this side writes the head, so a plain read of it is current.
        var head = *_head;
        if (head == AcquireTail())
        {
            entry = default;
            return false;
        }

        entry = _entries[head & _mask];
        return true;
    }

    /// <summary>Copies up to <c>destination.Length</c> CQEs out and consumes them.</summary>
    internal int Reap(Span<CompletionQueueEntry> destination)
    {
        var head = *_head;
        var count = (int)Math.Min((uint)destination.Length, AcquireTail() - head);
        for (var i = 0; i < count; i++)
        {
            destination[i] = _entries[(head + (uint)i) & _mask];
        }

        if (count > 0)
        {
            Advance((uint)count);
        }

        return count;
    }

    /// <summary>Consumes <paramref name="count"/> CQEs that have been copied out.</summary>
    internal void Advance(uint count)
    {
        // Release: our reads of the consumed CQEs complete before the kernel may overwrite their slots;
        // pairs with the kernel's acquire of cq.head when it checks for space.
        Volatile.Write(ref *_head, *_head + count);
    }

    /// <summary>Acquire: pairs with the kernel's smp_store_release of cq.tail, so a CQE's contents are visible once the tail covers it.</summary>
    private uint AcquireTail() => Volatile.Read(ref *_tail);
}
