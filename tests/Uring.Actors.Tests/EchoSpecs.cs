using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Akka.IO-protocol echo specs on real loopback sockets. The same handler and the same assertions
/// run against Akka.IO's TCP manager (<see cref="AkkaIoEchoSpecs"/>) and UringTcp's
/// (<see cref="UringTcpEchoSpecs"/>): a handler moves to io_uring unchanged.
/// </summary>
public abstract class EchoSpecs(string? config = null, int rings = 1) : UringSpec(config, rings)
{

    protected abstract IActorRef Manager { get; }

    /// <summary>Where each connection's handler runs: Akka's default dispatcher unless a variant says otherwise.</summary>
    protected virtual Func<Props, IActorRef, Props>? PlaceHandler => null;

    /// <summary>Bytes in the large-message spec; configurations that receive a few bytes per leg use less, to stay well inside the spec's timeout on a slow machine.</summary>
    protected virtual int LargeMessageSize => 1 << 20;

    [Fact]
    public async Task One_client_gets_its_bytes_echoed()
    {
        var endpoint = StartEchoServer();
        using var client = await Connect(endpoint);

        await AssertEchoes(client, "hello, echo"u8.ToArray());
    }

    public static TheoryData<bool> HandlersWithAndWithoutReceiveTimeouts => [false, true];

    [Theory]
    [MemberData(nameof(HandlersWithAndWithoutReceiveTimeouts))]
    public async Task Two_hundred_concurrent_clients_each_get_their_own_bytes_back(bool handlersKeepReceiveTimeouts)
    {
        // With receive timeouts every new handler schedules on Akka's scheduler at once: its lazy
        // start used to hold the thread pool (UringTcpExtension.StartScheduler).
        var endpoint = StartEchoServer(handlersKeepReceiveTimeouts ? Props.Create<EchoServer.TimedEchoConnection>() : null);
        var clients = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Connect(endpoint)));
        try
        {
            await Task.WhenAll(clients.Select((client, i) => AssertEchoes(client, Enumerable.Range(0, 1000).Select(b => (byte)(b + i)).ToArray())));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_large_message_is_echoed_whole_across_partial_reads_and_writes()
    {
        var endpoint = StartEchoServer();
        using var client = await Connect(endpoint);

        await AssertEchoes(client, Enumerable.Range(0, LargeMessageSize).Select(i => (byte)(i * 31)).ToArray());
    }

    [Fact]
    public async Task A_client_closing_its_side_is_reported_as_peer_closed()
    {
        var endpoint = StartEchoServer();
        var client = await Connect(endpoint);
        await AssertEchoes(client, [1, 2, 3]);

        client.Shutdown(SocketShutdown.Send);
        client.Dispose();

        FishForMessage(message => message is Tcp.PeerClosed, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_client_reset_is_reported_as_error_closed()
    {
        var endpoint = StartEchoServer();
        var client = await Connect(endpoint);
        await AssertEchoes(client, [1, 2, 3]);

        client.LingerState = new LingerOption(true, 0);
        client.Dispose();

        FishForMessage(message => message is Tcp.ErrorClosed or Tcp.PeerClosed, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_crashing_handler_takes_its_connection_down_and_the_server_keeps_serving()
    {
        var endpoint = StartEchoServer(Props.Create(() => new EchoServer.CrashingConnection()));
        using var doomed = await Connect(endpoint);
        await doomed.SendAsync(new byte[] { 42 });

        var buffer = new byte[16];
        int read;
        try
        {
            read = await doomed.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (SocketException)
        {
            read = 0; // reset: also a closed connection
        }

        Assert.Equal(0, read);
        using var next = await Connect(endpoint);
        Assert.True(next.Connected);
    }

    [Fact]
    public async Task An_outgoing_connection_through_the_manager_talks_to_a_plain_socket_server()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);

        Manager.Tell(new Tcp.Connect(listener.LocalEndPoint!));
        var connected = ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new Tcp.Register(TestActor));
        using var server = await listener.AcceptAsync();

        connection.Tell(Tcp.Write.Create(ByteString.FromString("ping"), new Ack("sent")));
        ExpectMsg<Ack>(TimeSpan.FromSeconds(10));
        var buffer = new byte[4];
        Assert.Equal(4, await server.ReceiveAsync(buffer));
        await server.SendAsync("pong"u8.ToArray());
        Assert.Equal("pong", ExpectMsg<Tcp.Received>(TimeSpan.FromSeconds(10)).Data.ToString());

        connection.Tell(Tcp.Close.Instance);
        ExpectMsg<Tcp.Closed>(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await server.ReceiveAsync(buffer));
        Assert.Equal(((IPEndPoint)listener.LocalEndPoint!).Port, ((IPEndPoint)connected.RemoteAddress).Port); // Akka.IO reports an IPv4-mapped IPv6 address
    }

    [Fact]
    public void Connecting_to_a_closed_port_fails_the_command()
    {
        var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = closed.LocalEndPoint!;
        closed.Dispose();

        Manager.Tell(new Tcp.Connect(endpoint));

        ExpectMsg<Tcp.CommandFailed>(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_confirmed_close_half_closes_and_completes_when_the_peer_closes_too()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            connection.Tell(Tcp.Write.Create(ByteString.FromString("bye")));
            connection.Tell(Tcp.ConfirmedClose.Instance);

            var buffer = new byte[16];
            var total = 0;
            int read;
            while ((read = await client.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None)) > 0)
            {
                total += read; // the pending write goes out before the FIN
            }

            Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(buffer, 0, total));
            client.Shutdown(SocketShutdown.Send);
            ExpectMsg<Tcp.ConfirmedClosed>(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Abort_resets_the_connection()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            connection.Tell(Tcp.Abort.Instance);

            ExpectMsg<Tcp.Aborted>(TimeSpan.FromSeconds(10));
            await Assert.ThrowsAsync<SocketException>(async () =>
            {
                var buffer = new byte[4];
                while (await client.ReceiveAsync(buffer) > 0)
                {
                }

                await client.SendAsync(new byte[] { 1 }); // a reset peer makes a read or the next write fail
                await Task.Delay(50);
                await client.SendAsync(new byte[] { 1 });
            });
        }
    }

    [Fact]
    public async Task Unbind_stops_accepting_and_is_confirmed()
    {
        var server = Sys.ActorOf(Props.Create(() => new EchoServer(Manager, TestActor, null, PlaceHandler)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        using (await Connect(endpoint))
        {
        }

        server.Tell(Tcp.Unbind.Instance, TestActor);

        FishForMessage(message => message is Tcp.Unbound, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<SocketException>(async () => (await Connect(endpoint)).Dispose());
    }

    protected EndPoint StartEchoServer(Props? handler = null)
    {
        Sys.ActorOf(Props.Create(() => new EchoServer(Manager, TestActor, handler, PlaceHandler)));
        return ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
    }

    protected sealed class Ack(string name) : Tcp.Event
    {
        public string Name { get; } = name;
    }
}

public sealed class AkkaIoEchoSpecs : EchoSpecs
{
    protected override IActorRef Manager => Sys.Tcp();
}

public abstract class UringTcpEchoSpecs(int rings) : EchoSpecs(rings: rings)
{
    protected override IActorRef Manager => UringTcp.Get(Sys).Manager;
}

public sealed class UringTcpEchoSpecsOnOneRing() : UringTcpEchoSpecs(1);

public sealed class UringTcpEchoSpecsOnSeveralRings() : UringTcpEchoSpecs(SeveralRings);

/// <summary>The echo specs with each handler on its connection's ring loop, as the host runs its services.</summary>
public sealed class UringTcpEchoSpecsWithHandlersOnTheirRingsLoop() : UringTcpEchoSpecs(SeveralRings)
{
    protected override Func<Props, IActorRef, Props>? PlaceHandler => (props, connection) => props.WithLoopDispatcherOf(connection);
}
