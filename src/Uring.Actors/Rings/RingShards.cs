using System.Collections;

namespace Uring.Actors;

/// <summary>
/// The UringTcp extension's rings (<c>uring.ring.count</c>) and where new work goes: each accepted
/// or outgoing connection, and each listener's accept, is placed on the ring with the fewest
/// connections. Placing is exact — the count grows when a connection is placed, before its actor
/// starts — so at any moment the busiest ring holds at most one connection more than the idlest
/// (closes aside). Ties go round the rings, so that short connections opened one after another
/// do not all land on ring 0.
/// </summary>
internal sealed class RingShards : IReadOnlyList<RingShard>
{
    private readonly RingShard[] _shards;
    private int _nextTie;

    /// <summary><paramref name="count"/> rings, indexed from 0.</summary>
    internal RingShards(int count)
    {
        Affinity = new LoopAffinity(this);
        _shards = [.. Enumerable.Range(0, count).Select(index => new RingShard(index, Affinity))];
    }

    /// <inheritdoc />
    public int Count => _shards.Length;

    /// <summary>Where the actors on <c>uring.loop-dispatcher</c> run.</summary>
    internal LoopAffinity Affinity { get; }

    /// <inheritdoc />
    public RingShard this[int index] => _shards[index];

    /// <summary>The ring with the fewest connections (ties rotate), now counting one more; called once per connection.</summary>
    internal RingShard PlaceConnection()
    {
        var shard = LeastLoaded();
        shard.Place();
        return shard;
    }

    /// <summary>The ring with the fewest connections (ties rotate); nothing is counted.</summary>
    internal RingShard LeastLoaded()
    {
        var start = (int)((uint)Interlocked.Increment(ref _nextTie) % (uint)_shards.Length);
        var best = _shards[start];
        for (var i = 1; i < _shards.Length; i++)
        {
            var candidate = _shards[(start + i) % _shards.Length];
            if (candidate.Connections < best.Connections)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The ring whose loop <paramref name="loop"/> is, or null when it is not one of these rings' loops.</summary>
    internal RingShard? Of(RingLoop loop) => Array.Find(_shards, shard => ReferenceEquals(shard.Loop, loop));

    /// <inheritdoc />
    public IEnumerator<RingShard> GetEnumerator() => ((IEnumerable<RingShard>)_shards).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
