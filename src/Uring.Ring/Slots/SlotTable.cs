namespace Uring;

/// <summary>
/// The table of <see cref="OperationSlot"/>s: its capacity is the ring's in-flight limit, which
/// only <see cref="Grow"/> changes. Renting and returning are thread-safe (a short lock); slots are
/// created on first use and reused for the ring's lifetime, so steady-state operations allocate no slot.
/// </summary>
/// <remarks>
/// Growing replaces the arrays with larger copies that hold the same slot objects at the same
/// indexes, so a completion's token resolves the same way through either; readers outside the
/// lock (<see cref="TryResolve"/>) read the array reference once.
/// </remarks>
internal sealed class SlotTable
{
    private volatile OperationSlot?[] _slots;
    private int[] _free;
    private readonly Lock _lock = new();
    private readonly Ring _ring;
    private int _freeCount;
    private int _inUse;

    internal SlotTable(int capacity, Ring ring)
    {
        _ring = ring;
        _slots = [];
        _free = [];
        Grow(capacity);
    }

    internal int Capacity => _slots.Length;

    /// <summary>Slots rented and not yet returned: operations in flight (or being submitted).</summary>
    internal int InUse => Volatile.Read(ref _inUse);

    /// <summary>Takes a free slot, or returns null when all are in use.</summary>
    internal OperationSlot? TryRent()
    {
        lock (_lock)
        {
            if (_freeCount == 0)
            {
                return null;
            }

            var index = _free[--_freeCount];
            Volatile.Write(ref _inUse, _inUse + 1);
            return _slots[index] ??= new OperationSlot(index, _ring);
        }
    }

    /// <summary>Resets <paramref name="slot"/> (releasing its pins and references) and makes it free.</summary>
    internal void Return(OperationSlot slot)
    {
        slot.Reset();
        lock (_lock)
        {
            _free[_freeCount++] = slot.Index;
            Volatile.Write(ref _inUse, _inUse - 1);
        }
    }

    /// <summary>
    /// Raises the capacity to <paramref name="capacity"/>: the new indexes join the free list below
    /// the free ones already there, so the lowest indexes stay the ones rented first (a small
    /// working set stays cache-warm).
    /// </summary>
    internal void Grow(int capacity)
    {
        lock (_lock)
        {
            var old = _slots.Length;
            if (capacity <= old)
            {
                return;
            }

            var free = new int[capacity];
            var added = capacity - old;
            for (var i = 0; i < added; i++)
            {
                free[i] = capacity - 1 - i;
            }

            _free.AsSpan(0, _freeCount).CopyTo(free.AsSpan(added));
            var slots = new OperationSlot?[capacity];
            _slots.CopyTo(slots, 0);
            _free = free;
            _freeCount += added;
            _slots = slots; // last: a reader that sees the new array sees it filled
        }
    }

    /// <summary>Finds the slot a completion's <c>user_data</c> names, if that operation is still current.</summary>
    internal bool TryResolve(ulong token, out OperationSlot slot)
    {
        var index = (uint)token;
        var slots = _slots;
        if (index < (uint)slots.Length && slots[index] is { } candidate && candidate.Generation == (uint)(token >> 32) && candidate.Submitted)
        {
            slot = candidate;
            return true;
        }

        slot = null!;
        return false;
    }

    /// <summary>Buffers pinned by operations in flight (a diagnostic; a racy sum while operations run).</summary>
    internal int PinnedBuffers => _slots.Sum(slot => slot?.PinCount ?? 0);

    /// <summary>Frees every slot's native block; only after a complete drain.</summary>
    internal void FreeScratch()
    {
        foreach (var slot in _slots)
        {
            slot?.FreeScratch();
        }
    }

    /// <summary>The slots in use now (for leak reports after a failed drain).</summary>
    internal List<OperationSlot> SnapshotInUse()
    {
        lock (_lock)
        {
            var free = new HashSet<int>(_free.AsSpan(0, _freeCount).ToArray());
            return _slots.Where(s => s is not null && !free.Contains(s.Index)).Select(s => s!).ToList();
        }
    }
}
