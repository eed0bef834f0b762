using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class ReceiveBufferPoolTests
{
    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Fifty_connections_receive_through_one_pool_of_four_buffers_each_getting_only_its_own_bytes()
    {
        var pairs = Enumerable.Range(0, 50).Select(_ => SocketPair.Create()).ToList();
        try
        {
            using var ring = new Ring(64);
            using var pool = ring.RegisterReceiveBufferPool(bufferSize: 64, bufferCount: 4);
            for (var i = 0; i < pairs.Count; i++)
            {
                ring.SubmitRecvMultishot(pairs[i].Second, pool, userData: i);
            }

            Assert.Equal(1, ring.Diagnostics.RegisteredBufferRings); // one pool, not fifty buffer rings
            Assert.Equal(50, pool.Receives);
            var received = pairs.Select(_ => new List<byte>()).ToList();
            for (var round = 0; round < 4; round++)
            {
                for (var i = 0; i < pairs.Count; i++)
                {
                    pairs[i].First.Send([(byte)i, (byte)round]);
                    var leg = ring.Next(); // reaping gives the buffer back: four serve fifty connections
                    Assert.True(leg.HasMore, leg.ToString());
                    received[(int)leg.UserData!].AddRange(leg.Data.ToArray());
                }
            }

            for (var i = 0; i < pairs.Count; i++)
            {
                Assert.Equal(new byte[] { (byte)i, 0, (byte)i, 1, (byte)i, 2, (byte)i, 3 }, received[i]);
                pairs[i].First.Dispose();
            }

            var ends = Enumerable.Range(0, pairs.Count).Select(_ => ring.Next()).ToList();
            Assert.All(ends, end => Assert.Equal((0, false), (end.Res, end.HasMore)));
            Assert.Equal(0, pool.Receives);
            Assert.Equal(1, ring.Diagnostics.RegisteredBufferRings); // the pool outlives its receives
            pool.Dispose();
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
        finally
        {
            pairs.ForEach(pair => pair.Second.Dispose());
            pairs.ForEach(pair => pair.First.Dispose());
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void A_disposed_pool_refuses_new_receives_and_is_unregistered_only_after_the_last_receive_using_it_ended()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var pool = ring.RegisterReceiveBufferPool(bufferSize: 16, bufferCount: 4);
            var receive = ring.SubmitRecvMultishot(reader, pool, "receive");

            pool.Dispose();

            Assert.True(pool.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => ring.SubmitRecvMultishot(reader, pool));
            Assert.Equal(1, ring.Diagnostics.RegisteredBufferRings); // still in use by the receive
            writer.Send([42]);
            Assert.Equal(new byte[] { 42 }, ring.Next().Data.ToArray()); // and still receiving

            ring.SubmitCancel(receive, "cancel");
            var outcomes = ring.NextByUserData(2);

            Assert.Equal(Errno.ECANCELED, outcomes["receive"].Error);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void An_empty_pool_ends_the_receive_with_enobufs_and_a_resubmitted_receive_continues_without_loss()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (var pool = ring.RegisterReceiveBufferPool(bufferSize: 4, bufferCount: 2))
        {
            ring.SubmitRecvMultishot(reader, pool);
            var payload = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
            writer.Send(payload); // 16 buffers' worth into 2 buffers nobody reaps meanwhile
            var received = new List<byte>();
            var rearms = 0;
            while (received.Count < payload.Length)
            {
                var leg = ring.Next();
                received.AddRange(leg.Data.ToArray());
                if (!leg.HasMore)
                {
                    Assert.Equal(Errno.ENOBUFS, leg.Error);
                    rearms++;
                    ring.SubmitRecvMultishot(reader, pool);
                }
            }

            Assert.Equal(payload, received);
            Assert.True(rearms > 0);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public async Task Leased_receives_from_a_pool_hand_out_its_buffers_and_the_async_stream_reads_through_it()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            using var pool = ring.RegisterReceiveBufferPool(bufferSize: 8, bufferCount: 4);
            var payload = Enumerable.Range(0, 100).Select(i => (byte)(i * 3)).ToArray();
            var sender = Task.Run(() =>
            {
                for (var offset = 0; offset < payload.Length; offset += 10)
                {
                    writer.Send(payload.AsSpan(offset, 10));
                }

                writer.Shutdown(SocketShutdown.Send);
            });
            var received = new List<byte>();
            await foreach (var leg in ring.RecvMultishotLeasedAsync(reader, pool).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
            {
                if (leg.Lease is { } lease)
                {
                    received.AddRange(lease.Memory.ToArray());
                    lease.Dispose();
                }
            }

            await sender;
            Assert.Equal(payload, received);
            Assert.Equal(0, ring.OutstandingLeases);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Disposing_the_ring_with_receives_on_a_pool_in_flight_frees_the_pool_too()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            var ring = new Ring();
            var pool = ring.RegisterReceiveBufferPool(bufferSize: 16, bufferCount: 4);
            ring.SubmitRecvMultishot(reader, pool);

            ring.Dispose();

            Assert.True(pool.IsDisposed);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
            pool.Dispose(); // after the ring: harmless
        }
    }

    [RingFact]
    public void Pool_arguments_are_checked_before_the_kernel()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (var other = new Ring())
        using (var foreign = other.RegisterReceiveBufferPool(16, 2))
        {
            Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => ring.RegisterReceiveBufferPool(0, 2)).ParamName);
            Assert.Equal("bufferCount", Assert.Throws<ArgumentOutOfRangeException>(() => ring.RegisterReceiveBufferPool(16, Ring.MaxReceiveBufferCount + 1)).ParamName);
            Assert.Equal("pool", Assert.Throws<ArgumentNullException>(() => ring.SubmitRecvMultishot(reader, (ReceiveBufferPool)null!)).ParamName);
            Assert.Equal("pool", Assert.Throws<ArgumentException>(() => ring.SubmitRecvMultishot(reader, foreign)).ParamName);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }
}
