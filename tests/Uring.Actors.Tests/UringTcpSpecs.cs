using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// The echo specs again on a connection whose receive buffers run out all the time (one 16-byte
/// provided buffer): the kernel keeps ending the multishot receive with ENOBUFS, and the connection
/// must re-arm it without losing or reordering a byte.
/// </summary>
public abstract class UringTcpWithExhaustedBuffersSpecs(int rings) : EchoSpecs("uring.tcp { receive-buffer-size = 16, receive-buffer-count = 1 }", rings)
{

    protected override IActorRef Manager => UringTcp.Get(Sys).Manager;

    // 64 KiB through tiny buffers is thousands of legs, many ending their receive: the re-arm path, many times over.
    protected override int LargeMessageSize => 64 << 10;
}

/// <summary>
/// The echo specs again with every connection receiving from one shared pool of four 64-byte
/// buffers: the 200-client spec keeps the pool empty, so receives end with ENOBUFS and re-arm, and
/// no byte may be lost or cross to another connection.
/// </summary>
public abstract class UringTcpWithSharedReceiveBuffersSpecs(int rings) : EchoSpecs("uring.tcp { receive-buffer-size = 64, shared-receive-buffers = 4 }", rings)
{

    protected override IActorRef Manager => UringTcp.Get(Sys).Manager;

    // 64 KiB through tiny buffers is thousands of legs, many ending their receive: the re-arm path, many times over.
    protected override int LargeMessageSize => 64 << 10;
}

public sealed class UringTcpWithExhaustedBuffersSpecsOnOneRing() : UringTcpWithExhaustedBuffersSpecs(1);

public sealed class UringTcpWithExhaustedBuffersSpecsOnSeveralRings() : UringTcpWithExhaustedBuffersSpecs(SeveralRings);

public sealed class UringTcpWithSharedReceiveBuffersSpecsOnOneRing() : UringTcpWithSharedReceiveBuffersSpecs(1);

public sealed class UringTcpWithSharedReceiveBuffersSpecsOnSeveralRings() : UringTcpWithSharedReceiveBuffersSpecs(SeveralRings);

/// <summary>Behaviour specific to UringTcp: listener supervision and shutdown with traffic in flight.</summary>
public abstract class UringTcpSpecs(int rings) : UringSpec(rings: rings)
{
    private IActorRef Manager => UringTcp.Get(Sys).Manager;

    [Fact]
    public async Task A_failing_listener_restarts_on_the_same_port_and_keeps_its_connections()
    {
        Sys.ActorOf(Props.Create(() => new EchoServer(Manager, TestActor, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        using var before = await Connect(endpoint);
        await AssertEchoes(before, [1, 2, 3]);
        var listener = await Sys.ActorSelection("/system/uring-tcp/$*").ResolveOne(TimeSpan.FromSeconds(5)); // listeners have generated names

        listener.Tell(Kill.Instance); // ActorKilledException: the manager restarts the listener

        await Task.Delay(200);
        await AssertEchoes(before, [4, 5, 6]);
        using var after = await Connect(endpoint);
        await AssertEchoes(after, [7, 8, 9]);
    }

    [Fact]
    public async Task A_burst_of_writes_goes_out_in_order_and_each_is_acknowledged_in_order()
    {
        Manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        using var client = await Connect(endpoint);
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new Tcp.Register(TestActor));

        // 200 writes of growing sizes (some empty), sent without waiting: they queue behind the
        // send in flight and go out gathered, several per sendmsg.
        const int writes = 200;
        var expected = new List<byte>();
        for (var i = 0; i < writes; i++)
        {
            var chunk = Enumerable.Range(0, i % 7 == 0 ? 0 : i * 37).Select(b => (byte)(b + i)).ToArray();
            expected.AddRange(chunk);
            connection.Tell(Tcp.Write.Create(Akka.IO.ByteString.FromBytes(chunk), new WriteAck(i)));
        }

        Assert.Equal(expected, await SocketReads.ReceiveExactly(client, expected.Count));
        for (var i = 0; i < writes; i++)
        {
            Assert.Equal(i, ExpectMsg<WriteAck>(TimeSpan.FromSeconds(10)).Index);
        }
    }

    [Fact]
    public async Task Writes_bigger_than_the_socket_takes_at_once_go_out_in_parts_whole_and_in_order()
    {
        Manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;

        // A small receive window and a reader that holds off: once the kernel's buffers are full a
        // send takes only part of what it offers, and the next one continues where it stopped, in
        // the middle of a write.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(endpoint);
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new Tcp.Register(TestActor));

        const int writes = 16; // 4 MiB, the default limit on queued bytes (uring.tcp.max-queued-write-bytes)
        const int size = 256 * 1024;
        var expected = new byte[writes * size];
        for (var i = 0; i < writes; i++)
        {
            var chunk = Enumerable.Range(0, size).Select(b => (byte)((b * 7) + i)).ToArray();
            chunk.CopyTo(expected, i * size);
            connection.Tell(Tcp.Write.Create(Akka.IO.ByteString.FromBytes(chunk), new WriteAck(i)));
        }

        // Before the reader reads, only the writes the kernel could buffer are acknowledged.
        await Task.Delay(300);
        var early = ReceiveWhile<WriteAck>(TimeSpan.FromMilliseconds(200), message => message as WriteAck ?? throw new InvalidOperationException($"unexpected {message}"));
        Assert.InRange(early.Count, 0, writes - 1);
        Assert.Equal(Enumerable.Range(0, early.Count), early.Select(ack => ack.Index));

        Assert.Equal(expected, await SocketReads.ReceiveExactly(client, expected.Length));
        for (var i = early.Count; i < writes; i++)
        {
            Assert.Equal(i, ExpectMsg<WriteAck>(TimeSpan.FromSeconds(10)).Index);
        }
    }

    [Fact]
    public async Task A_connect_that_outlives_its_timeout_is_cancelled_in_the_kernel_and_answered_with_command_failed()
    {
        // A listener that never accepts, its accept queue filled: the kernel drops further SYNs,
        // so a connect to it hangs (retrying for minutes) unless something cancels it.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var fillers = new List<Socket>();
        try
        {
            while (true)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                try
                {
                    await filler.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromMilliseconds(500));
                }
                catch (TimeoutException)
                {
                    break; // the queue is full: this one's SYN was dropped
                }
            }

            var connect = new Tcp.Connect(listener.LocalEndPoint!, timeout: TimeSpan.FromMilliseconds(300));
            var started = DateTime.UtcNow;
            Manager.Tell(connect);

            var failed = ExpectMsg<Tcp.CommandFailed>(TimeSpan.FromSeconds(10));
            Assert.Same(connect, failed.Cmd);
            Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(failed.Cause.Value).SocketErrorCode);
            Assert.Contains("timed out", failed.CauseString, StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10)); // not the kernel's minutes of SYN retries
            var rings = await AllRings();
            await AwaitConditionAsync(() => Task.FromResult(InFlight(rings) == 0), TimeSpan.FromSeconds(5));
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Fact]
    public async Task Stopping_the_system_with_traffic_in_flight_cancels_drains_and_frees_everything()
    {
        Sys.ActorOf(Props.Create(() => new EchoServer(Manager, TestActor, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var rings = await AllRings();
        var clients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Connect(endpoint)));
        using var stop = new CancellationTokenSource();
        var traffic = clients.Select(client => Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await client.SendAsync(buffer);
                    await client.ReceiveAsync(buffer);
                }
            }
            catch (SocketException)
            {
            }
        })).ToList();
        await Task.Delay(300);
        Assert.All(rings, ring => Assert.True(ring.InFlight > 0)); // 20 connections over every ring

        Shutdown(verifySystemShutdown: true);

        Assert.All(rings, ring =>
        {
            Assert.True(ring.IsClosed);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        });
        stop.Cancel();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(traffic);
    }

    [Fact] // Akka.IO 1.5 delivers the data here anyway, so this spec is UringTcp's alone
    public async Task Reading_can_be_suspended_and_resumed()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            connection.Tell(Tcp.SuspendReading.Instance);
            await Task.Delay(200); // the suspension is asynchronous in both implementations
            await client.SendAsync("while suspended"u8.ToArray());
            ExpectNoMsg(TimeSpan.FromMilliseconds(300));

            connection.Tell(Tcp.ResumeReading.Instance);

            var received = new List<byte>();
            while (received.Count < 15)
            {
                received.AddRange(ExpectMsg<Tcp.Received>(TimeSpan.FromSeconds(10)).Data.ToArray());
            }

            Assert.Equal("while suspended"u8.ToArray(), received);
        }
    }
}

public sealed class UringTcpSpecsOnOneRing() : UringTcpSpecs(1);

public sealed class UringTcpSpecsOnSeveralRings() : UringTcpSpecs(SeveralRings);

/// <summary>An ack carrying its write's position.</summary>
internal sealed class WriteAck(int Index) : Tcp.Event
{
    public int Index { get; } = Index;
}
