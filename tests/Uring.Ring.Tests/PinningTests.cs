using System.Runtime.CompilerServices;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>The kernel writes into buffers the GC would otherwise move or collect: the ring must pin them until the completion.</summary>
public class PinningTests
{
    [RingFact]
    public void A_buffer_referenced_only_by_the_ring_survives_collections_while_its_recv_is_in_flight()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var weak = SubmitRecvIntoUnreferencedBuffer(ring, right);
            for (var i = 0; i < 5; i++)
            {
                AllocateGarbage();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            Assert.True(weak.TryGetTarget(out _), "the buffer was collected while the kernel could still write into it");
            left.Send("pinned"u8);
            Assert.Equal(6, ring.Next().Res);
        }
    }

    [RingFact]
    public void A_buffer_that_compacting_collections_would_move_still_receives_the_right_bytes()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            AllocateGarbage();
            var buffer = new byte[64]; // young and movable, between garbage the GC will compact away
            AllocateGarbage();
            ring.SubmitRecv(right, buffer);
            for (var i = 0; i < 5; i++)
            {
                AllocateGarbage();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            left.Send("still here"u8);

            Assert.Equal(10, ring.Next().Res);
            Assert.Equal("still here"u8.ToArray(), buffer[..10]);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<byte[]> SubmitRecvIntoUnreferencedBuffer(Ring ring, System.Net.Sockets.Socket socket)
    {
        var buffer = new byte[128];
        ring.SubmitRecv(socket, buffer);
        return new WeakReference<byte[]>(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateGarbage()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _ = new byte[64];
        }
    }
}
