using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Sends posted straight to the ring loop on rings that cannot take them all: with room for five
/// operations in flight on each ring — three connections' receives take three, and the ring with
/// the listener's accept a fourth — three connections per ring burst writes that compete for the
/// slots left, so their sends keep finding the ring full, wait for room and run again, and every
/// byte must still go out in order and every write be acknowledged.
/// </summary>
public abstract class ConnectionWritesOnAFullRingSpecs(int rings) : UringSpec("uring.ring { entries = 2, max-in-flight = 5 }", rings)
{

    [Fact]
    public async Task Writes_that_find_the_ring_full_wait_for_room_and_all_go_out_in_order_with_their_acks()
    {
        UringTcp.Get(Sys).Manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var clients = new List<Socket>();
        var connections = new List<IActorRef>();
        for (var c = 0; c < 3 * RingCount; c++) // placed three to a ring
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(endpoint);
            clients.Add(client);
            ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
            connections.Add(LastSender);
            LastSender.Tell(new Tcp.Register(TestActor));
        }

        const int writes = 100;
        var expected = clients.Select(_ => new List<byte>()).ToList();
        for (var i = 0; i < writes; i++)
        {
            for (var c = 0; c < connections.Count; c++)
            {
                var chunk = Enumerable.Range(0, 1 + (i * 13)).Select(b => (byte)(b + i + c)).ToArray();
                expected[c].AddRange(chunk);
                connections[c].Tell(Tcp.Write.Create(ByteString.FromBytes(chunk), new WriteAck((c * writes) + i)));
            }
        }

        try
        {
            var received = await Task.WhenAll(clients.Select((client, c) => SocketReads.ReceiveExactly(client, expected[c].Count)));
            for (var c = 0; c < clients.Count; c++)
            {
                Assert.Equal(expected[c], received[c]);
            }

            var acks = Enumerable.Range(0, writes * connections.Count).Select(_ => ExpectMsg<WriteAck>(TimeSpan.FromSeconds(10)).Index).ToList();
            for (var c = 0; c < connections.Count; c++)
            {
                var ofConnection = acks.Where(index => index / writes == c).ToList();
                Assert.Equal(Enumerable.Range(c * writes, writes), ofConnection); // all of them, in order
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }
}

public sealed class ConnectionWritesOnAFullRingSpecsOnOneRing() : ConnectionWritesOnAFullRingSpecs(1);

public sealed class ConnectionWritesOnAFullRingSpecsOnSeveralRings() : ConnectionWritesOnAFullRingSpecs(SeveralRings);

/// <summary>The connection's write queue limit (<c>uring.tcp.max-queued-write-bytes</c>).</summary>
public abstract class ConnectionWriteLimitSpecs(int rings) : UringSpec("uring.tcp.max-queued-write-bytes = 1000", rings)
{

    [Fact]
    public async Task A_write_past_the_queue_limit_is_refused_with_command_failed_and_later_writes_still_go_out()
    {
        var (client, connection) = await ConnectAndRegister(UringTcp.Get(Sys).Manager);
        using var _ = client;

        var tooLarge = Tcp.Write.Create(ByteString.FromBytes(new byte[1001]), new WriteAck(1));
        connection.Tell(tooLarge);
        var refused = ExpectMsg<Tcp.CommandFailed>(TimeSpan.FromSeconds(10));
        Assert.Same(tooLarge, refused.Cmd);
        Assert.Contains("uring.tcp.max-queued-write-bytes (1000 bytes)", refused.CauseString, StringComparison.Ordinal);

        connection.Tell(Tcp.Write.Create(ByteString.FromString("fits"), new WriteAck(2)));
        Assert.Equal(2, ExpectMsg<WriteAck>(TimeSpan.FromSeconds(10)).Index);
        Assert.Equal("fits"u8.ToArray(), await SocketReads.ReceiveExactly(client, 4));
    }
}

public sealed class ConnectionWriteLimitSpecsOnOneRing() : ConnectionWriteLimitSpecs(1);

public sealed class ConnectionWriteLimitSpecsOnSeveralRings() : ConnectionWriteLimitSpecs(SeveralRings);
