using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Connections with <c>uring.tcp.leased-receive = on</c>: the handler gets
/// <see cref="UringTcp.ReceivedLease"/> messages over the provided buffers (four of 1 KiB here) and
/// gives them back by disposing them.
/// </summary>
public abstract class LeasedReceiveSpecs(int rings) : UringSpec($"uring.tcp {{ receive-buffer-size = {BufferSize}, receive-buffer-count = {BufferCount}, leased-receive = on }}", rings)
{
    private const int BufferSize = 1024;
    private const int BufferCount = 4;

    private IActorRef Manager => UringTcp.Get(Sys).Manager;

    [Fact]
    public async Task The_handler_receives_leases_in_order_and_disposing_them_lets_far_more_than_the_buffers_hold_pass_through()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            var payload = Enumerable.Range(0, 64 * 1024).Select(i => (byte)((i * 31) + (i >> 8))).ToArray();
            var sending = client.SendAsync(payload);
            var received = new List<byte>();
            var held = new List<UringTcp.ReceivedLease>();

            // Hold every buffer: the connection stops reading until one comes back.
            while (held.Count < BufferCount)
            {
                held.Add(ExpectMsg<UringTcp.ReceivedLease>(TimeSpan.FromSeconds(10)));
            }

            ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            foreach (var lease in held)
            {
                received.AddRange(lease.Data.Memory.ToArray());
                lease.Data.Dispose();
            }

            while (received.Count < payload.Length)
            {
                var lease = ExpectMsg<UringTcp.ReceivedLease>(TimeSpan.FromSeconds(10));
                received.AddRange(lease.Data.Memory.ToArray());
                lease.Data.Dispose();
            }

            await sending;
            Assert.Equal(payload, received);
            Assert.All(await AllRings(), ring =>
            {
                Assert.Equal(0, ring.OutstandingLeases);
                Assert.Equal(0, ring.LeakedLeases);
            });
            connection.Tell(Tcp.Close.Instance);
            ExpectMsg<Tcp.Closed>(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Leases_sent_to_a_handler_that_stopped_are_disposed_rather_than_leaked()
    {
        var handler = Sys.ActorOf(Props.Create(() => new StopAtFirstLease()));
        var (client, _) = await ConnectAndRegister(Manager, handler);
        using (client)
        {
            Watch(handler);
            await client.SendAsync(new byte[16 * BufferSize]);
            ExpectTerminated(handler, TimeSpan.FromSeconds(10));

            var rings = await AllRings();
            await AwaitAssertAsync(() => Assert.Equal(0, rings.Sum(ring => ring.OutstandingLeases)), TimeSpan.FromSeconds(10));
            Assert.Equal(0, rings.Sum(ring => ring.LeakedLeases));
        }
    }

    [Fact]
    public async Task Leases_written_onward_without_a_copy_echo_every_byte_in_order_and_all_go_back_to_the_kernel()
    {
        var handler = Sys.ActorOf(Props.Create(() => new LeaseEcho()));
        var (client, _) = await ConnectAndRegister(Manager, handler);
        using (client)
        {
            var payload = Enumerable.Range(0, 1 << 20).Select(i => (byte)((i * 7) + (i >> 10))).ToArray();

            await AssertEchoes(client, payload);

            var rings = await AllRings();
            await AwaitAssertAsync(() => Assert.Equal(0, rings.Sum(ring => ring.OutstandingLeases)), TimeSpan.FromSeconds(10));
            Assert.Equal(0, rings.Sum(ring => ring.LeakedLeases));
        }
    }

    [Fact]
    public async Task A_peer_that_does_not_read_stops_the_reading_with_every_buffer_waiting_to_be_sent_and_nothing_more()
    {
        var handler = Sys.ActorOf(Props.Create(() => new LeaseEcho()));
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        Manager.Tell(new Tcp.Bind(TestActor, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)));
        await client.ConnectAsync(ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress);
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        LastSender.Tell(new Tcp.Register(handler));

        // 32 MiB sent, nothing read back: the echo fills the kernel's socket buffers, then every
        // provided buffer waits in the write queue, and the connection stops reading.
        var payload = Enumerable.Range(0, 32 << 20).Select(i => (byte)(i * 13)).ToArray();
        var sending = client.SendAsync(payload);
        var rings = await AllRings();
        await AwaitConditionAsync(() => Task.FromResult(rings.Sum(ring => ring.OutstandingLeases) == BufferCount), TimeSpan.FromSeconds(10));
        var most = 0;
        for (var sample = 0; sample < 100; sample++)
        {
            most = Math.Max(most, rings.Sum(ring => ring.OutstandingLeases));
            await Task.Delay(10);
        }

        Assert.Equal(BufferCount, most); // bounded by the buffers, not by what the peer sends
        Assert.False(sending.IsCompleted); // the rest waits in the peer, not in this process

        var echoed = await SocketReads.ReceiveExactly(client, payload.Length).WaitAsync(TimeSpan.FromSeconds(60));
        await sending;
        Assert.Equal(payload, echoed);
        await AwaitAssertAsync(() => Assert.Equal(0, rings.Sum(ring => ring.OutstandingLeases)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_owned_write_the_connection_refuses_is_answered_with_command_failed_and_its_memory_given_back()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            var tooLarge = new TrackedMemory(new byte[(4 << 20) + 1]); // over uring.tcp.max-queued-write-bytes
            var refused = new UringTcp.WriteOwned(tooLarge, new WriteAck(1));
            connection.Tell(refused);
            Assert.Same(refused, ExpectMsg<Tcp.CommandFailed>(TimeSpan.FromSeconds(10)).Cmd);
            Assert.True(tooLarge.Disposed);

            var fits = new TrackedMemory("sent"u8.ToArray());
            connection.Tell(new UringTcp.WriteOwned(fits, new WriteAck(2)));
            Assert.Equal(2, ExpectMsg<WriteAck>(TimeSpan.FromSeconds(10)).Index);
            Assert.True(fits.Disposed);
            Assert.Equal("sent"u8.ToArray(), await SocketReads.ReceiveExactly(client, 4));

            connection.Tell(Tcp.Close.Instance);
            var late = new TrackedMemory(new byte[16]);
            connection.Tell(new UringTcp.WriteOwned(late));
            FishForMessage(message => message is Tcp.CommandFailed, TimeSpan.FromSeconds(10));
            Assert.True(late.Disposed);
            ExpectMsg<Tcp.Closed>(TimeSpan.FromSeconds(10));

            var afterStop = new TrackedMemory(new byte[16]);
            connection.Tell(new UringTcp.WriteOwned(afterStop)); // to a stopped connection: dead letters, where the extension disposes it
            await AwaitConditionAsync(() => Task.FromResult(afterStop.Disposed), TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Memory whose disposal a spec can see.</summary>
    private sealed class TrackedMemory(byte[] bytes) : System.Buffers.IMemoryOwner<byte>
    {
        private int _disposed;

        public Memory<byte> Memory => bytes;

        public bool Disposed => Volatile.Read(ref _disposed) == 1;

        public void Dispose()
        {
            Assert.Equal(0, Interlocked.Exchange(ref _disposed, 1)); // exactly once
        }
    }

    /// <summary>Writes every lease back without a copy: the connection sends from the lease's buffer and disposes it after.</summary>
    private sealed class LeaseEcho : ReceiveActor
    {
        public LeaseEcho() => Receive<UringTcp.ReceivedLease>(lease => Sender.Tell(new UringTcp.WriteOwned(lease.Data)));
    }

    /// <summary>Disposes its first lease and stops, with more leases on their way to it.</summary>
    private sealed class StopAtFirstLease : ReceiveActor
    {
        public StopAtFirstLease()
        {
            Receive<UringTcp.ReceivedLease>(lease =>
            {
                lease.Data.Dispose();
                Context.Stop(Self);
            });
        }
    }
}

public sealed class LeasedReceiveSpecsOnOneRing() : LeasedReceiveSpecs(1);

public sealed class LeasedReceiveSpecsOnSeveralRings() : LeasedReceiveSpecs(SeveralRings);
