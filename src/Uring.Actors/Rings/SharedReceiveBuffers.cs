using System.Runtime.CompilerServices;

namespace Uring.Actors;

/// <summary>
/// The receive-buffer pool the ring owner registered for its ring (<c>uring.tcp.shared-receive-buffers</c>),
/// found by the connections' submissions, which run on the owner's thread with only the ring at hand.
/// </summary>
internal static class SharedReceiveBuffers
{
    private static readonly ConditionalWeakTable<Ring, ReceiveBufferPool> Pools = [];

    /// <summary>Registers the pool the connections of <paramref name="ring"/> receive into (owner thread, at the ring's creation).</summary>
    internal static void Attach(Ring ring, ReceiveBufferPool pool) => Pools.AddOrUpdate(ring, pool);

    /// <summary>The shared pool of <paramref name="ring"/>; null when each connection registers buffers of its own.</summary>
    internal static ReceiveBufferPool? Of(Ring ring) => Pools.TryGetValue(ring, out var pool) ? pool : null;
}
