namespace Uring;

/// <summary>
/// Hands out provided-buffer group ids (16 bits in the SQE) and takes them back when a group is
/// unregistered, so a long-running ring reuses ids rather than running out. Thread-safe.
/// </summary>
internal sealed class BufferGroupIds
{
    private readonly Stack<ushort> _free = new();
    private readonly Lock _lock = new();
    private int _next;

    /// <summary>Ids neither free nor never used: groups registered (or awaiting unregistration).</summary>
    internal int InUse
    {
        get
        {
            lock (_lock)
            {
                return _next - _free.Count;
            }
        }
    }

    internal bool TryRent(out ushort id)
    {
        lock (_lock)
        {
            if (_free.TryPop(out id))
            {
                return true;
            }

            if (_next <= ushort.MaxValue)
            {
                id = (ushort)_next++;
                return true;
            }

            return false;
        }
    }

    internal void Return(ushort id)
    {
        lock (_lock)
        {
            _free.Push(id);
        }
    }
}
