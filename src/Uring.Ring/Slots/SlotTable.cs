namespace Uring;

/// <summary>
/// The fixed-capacity table of <see cref="OperationSlot"/>s: its capacity is the ring's in-flight
/// limit. Renting and returning are thread-safe (a short lock); slots are created on first use and
/// reused for the ring's lifetime, so steady-state operations allocate no slot.
/// </summary>
internal sealed class SlotTable
{
    private readonly OperationSlot?[] _slots;
    private readonly int[] _free;
    private readonly Lock _lock = new();
    private readonly Ring _ring;
    private int _freeCount;

    internal SlotTable(int capacity, Ring ring)
    {
        _ring = ring;
        _slots = new OperationSlot?[capacity];
        _free = new int[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _free[i] = capacity - 1 - i; // lowest index on top: a small working set stays cache-warm
        }

        _freeCount = capacity;
    }

    internal int Capacity => _slots.Length;

    /// <summary>Slots rented and not yet returned: operations in flight (or being submitted).</summary>
    internal int InUse => Capacity - Volatile.Read(ref _freeCount);

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
        }
    }

    /// <summary>Finds the slot a completion's <c>user_data</c> names, if that operation is still current.</summary>
    internal bool TryResolve(ulong token, out OperationSlot slot)
    {
        var index = (uint)token;
        if (index < (uint)_slots.Length && _slots[index] is { } candidate && candidate.Generation == (uint)(token >> 32) && candidate.Submitted)
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
