using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Every <see cref="Tcp.CommandFailed"/> UringTcp sends carries Akka.IO's <c>Cause</c> and
/// <c>CauseString</c>, so a program can tell why without the log: here bind and connect; the
/// timed-out connect and the refused writes are in their own specs.
/// </summary>
public abstract class CommandFailedSpecs(int rings) : UringSpec(rings: rings)
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

    private static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening: closed once disposed
    }
}

public sealed class CommandFailedSpecsOnOneRing() : CommandFailedSpecs(1);

public sealed class CommandFailedSpecsOnSeveralRings() : CommandFailedSpecs(SeveralRings);
