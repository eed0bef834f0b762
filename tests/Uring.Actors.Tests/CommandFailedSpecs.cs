using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Every <see cref="Tcp.CommandFailed"/> UringTcp sends carries Akka.IO's <c>Cause</c> and
/// <c>CauseString</c>, so a program can tell why without the log: here bind, connect and the
/// register timeout; the timed-out connect and the refused writes are in their own specs.
/// </summary>
public abstract class CommandFailedSpecs(int rings) : UringSpec("uring.tcp.register-timeout = 500ms", rings)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private UringTcpExtension Uring => UringTcp.Get(Sys);

    [Fact]
    public void A_bind_to_an_address_in_use_fails_with_the_socket_error_as_its_cause()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen(1);
        var bind = new Tcp.Bind(TestActor, occupant.LocalEndPoint!);

        Uring.Manager.Tell(bind);

        var failed = ExpectMsg<Tcp.CommandFailed>(Patience);
        Assert.Same(bind, failed.Cmd);
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(failed.Cause.Value).SocketErrorCode);
        Assert.Contains($"Bind to {occupant.LocalEndPoint} failed", failed.CauseString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connect_to_a_port_nobody_listens_on_fails_with_connection_refused_and_the_errno()
    {
        var connect = new Tcp.Connect(new IPEndPoint(IPAddress.Loopback, ClosedPort()));

        Uring.Manager.Tell(connect);

        var failed = ExpectMsg<Tcp.CommandFailed>(Patience);
        Assert.Same(connect, failed.Cmd);
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(failed.Cause.Value).SocketErrorCode);
        Assert.Contains("ECONNREFUSED", failed.CauseString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_whose_handler_never_registers_closes_after_the_register_timeout_and_says_why()
    {
        Uring.Manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(Patience).LocalAddress;
        using var client = await Connect(endpoint);
        ExpectMsg<Tcp.Connected>(Patience); // and no Register

        var failed = ExpectMsg<Tcp.CommandFailed>(Patience);
        Assert.Equal(TestActor, Assert.IsType<Tcp.Register>(failed.Cmd).Handler);
        Assert.IsType<TimeoutException>(failed.Cause.Value);
        Assert.Contains("uring.tcp.register-timeout", failed.CauseString, StringComparison.Ordinal);
        var read = await client.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Patience);
        Assert.Equal(0, read); // closed, not left open
        await AwaitAssertAsync(() => Assert.All(Uring.Rings, ring => Assert.Equal(0, ring.Connections)), Patience);
    }

    [Fact]
    public async Task A_connection_registered_in_time_outlives_the_register_timeout()
    {
        var (client, connection) = await ConnectAndRegister(Uring.Manager);
        using (client)
        {
            ExpectNoMsg(TimeSpan.FromSeconds(1)); // twice the timeout: no CommandFailed, no Closed
            connection.Tell(Tcp.Write.Create(ByteString.FromString("still here")));
            var received = new byte[10];
            var total = 0;
            while (total < received.Length)
            {
                var read = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Patience);
                Assert.True(read > 0, "the connection was closed");
                total += read;
            }

            Assert.Equal("still here"u8.ToArray(), received);
        }
    }

    private static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening: closed once disposed
    }
}

public sealed class CommandFailedSpecsOnOneRing() : CommandFailedSpecs(1);

public sealed class CommandFailedSpecsOnSeveralRings() : CommandFailedSpecs(SeveralRings);
