using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class AcceptConnectTests
{
    [RingTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Accept_returns_the_new_descriptor_and_the_peers_address(string address)
    {
        using var listener = Listen(IPAddress.Parse(address));
        using var client = new Socket(listener.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring();
        ring.SubmitAccept(listener, userData: "accept");

        client.Connect(listener.LocalEndPoint!);

        var completion = ring.Next();
        var accepted = Assert.IsType<AcceptedSocket>(completion.Result);
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
        Assert.Equal(client.LocalEndPoint, completion.RemoteEndPoint);
        using var server = accepted.ToSocket();
        client.Send("ping"u8);
        Assert.Equal(4, server.Receive(new byte[8]));
    }

    [RingTheory]
    [InlineData(SocketCreationFlags.None, false, false)]
    [InlineData(SocketCreationFlags.NonBlocking, true, false)]
    [InlineData(SocketCreationFlags.CloseOnExec, false, true)]
    [InlineData(SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec, true, true)]
    public void Accept_flags_are_honoured(SocketCreationFlags flags, bool nonBlocking, bool closeOnExec)
    {
        using var listener = Listen(IPAddress.Loopback);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring();
        ring.SubmitAccept(listener, flags);
        client.Connect(listener.LocalEndPoint!);

        var accepted = Assert.IsType<AcceptedSocket>(ring.Next().Result);
        using var server = accepted.ToSocket();

        Assert.Equal(nonBlocking, Descriptors.IsNonBlocking(accepted.Fd));
        Assert.Equal(closeOnExec, Descriptors.IsCloseOnExec(accepted.Fd));
    }

    [RingFact]
    public void Accept_on_a_unix_listener_reports_an_unnamed_peer_as_null()
    {
        using var directory = new TempDirectory();
        var path = new UnixDomainSocketEndPoint(directory.File("listen.sock"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(path);
        listener.Listen(4);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var ring = new Ring();
        ring.SubmitAccept(listener);

        client.Connect(path);

        var accepted = Assert.IsType<AcceptedSocket>(ring.Next().Result);
        accepted.ToSocket().Dispose();
        Assert.Null(accepted.RemoteEndPoint);
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Accept)]
    public void Multishot_accept_with_a_base_sequence_numbers_its_connections_from_it()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var ring = new Ring();
        ring.SubmitAcceptMultishot(listener, baseSequence: 7);
        for (var i = 0; i < 2; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            var completion = ring.Next();
            Assert.Equal(7 + i, completion.Sequence);
            Assert.IsType<AcceptedSocket>(completion.Result).ToSocket().Dispose();
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Accept)]
    public void Multishot_accept_posts_one_numbered_completion_per_connection_until_cancelled()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var ring = new Ring();
        var accept = ring.SubmitAcceptMultishot(listener, userData: "listener");
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                client.Connect(listener.LocalEndPoint!);
                var completion = ring.Next();
                Assert.Equal("listener", completion.UserData);
                Assert.Equal(CompletionKind.AcceptMultishot, completion.Kind);
                Assert.Equal(i, completion.Sequence);
                Assert.True(completion.HasMore);
                var accepted = Assert.IsType<AcceptedSocket>(completion.Result);
                Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
                accepted.ToSocket().Dispose();
            }

            ring.SubmitCancel(accept, "cancel");
            var final = ring.NextByUserData(2)["listener"];

            Assert.Equal(Errno.ECANCELED, final.Error);
            Assert.False(final.HasMore);
            Assert.Equal(3, final.Sequence);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Socket)]
    public void Socket_then_connect_then_shutdown_through_the_ring()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var ring = new Ring();

        ring.SubmitSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp, userData: "socket");
        var created = ring.Next();
        Assert.Equal(CompletionKind.Socket, created.Kind);
        var fd = Assert.IsType<int>(created.Result);
        Assert.True(Descriptors.IsCloseOnExec(fd));
        using var client = new Socket(new SafeSocketHandle(fd, ownsHandle: true));

        ring.SubmitConnect(client, listener.LocalEndPoint!, "connect");
        var connected = ring.Next();
        Assert.Equal(0, connected.Res);
        Assert.Null(connected.Result);
        using var server = listener.Accept();

        ring.SubmitShutdown(client, SocketShutdown.Send, "shutdown");
        Assert.Equal(0, ring.Next().Res);
        Assert.Equal(0, server.Receive(new byte[4])); // end of stream
    }

    [RingFact]
    public void Connect_to_a_closed_port_completes_with_econnrefused()
    {
        using var listener = Listen(IPAddress.Loopback);
        var closed = listener.LocalEndPoint!;
        listener.Dispose();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring();

        ring.SubmitConnect(client, closed);

        Assert.Equal(Errno.ECONNREFUSED, ring.Next().Error);
    }

    [RingFact]
    public void Connect_reaches_a_unix_domain_listener()
    {
        using var directory = new TempDirectory();
        var path = new UnixDomainSocketEndPoint(directory.File("c.sock"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(path);
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var ring = new Ring();

        ring.SubmitConnect(client, path);

        Assert.Equal(0, ring.Next().Res);
        using var server = listener.Accept();
        server.Send("hi"u8);
        Assert.Equal(2, client.Receive(new byte[4]));
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Socket)]
    public void Close_closes_a_raw_descriptor_nothing_else_owns()
    {
        using var ring = new Ring();
        ring.SubmitSocket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp, SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec);
        var fd = (int)ring.Next().Result!;
        Assert.True(Descriptors.IsNonBlocking(fd));
        var socket = Descriptors.Target(fd);
        Assert.StartsWith("socket:[", socket);

        ring.SubmitClose(fd, "close");

        var completion = ring.Next();
        Assert.Equal(CompletionKind.Close, completion.Kind);
        Assert.Equal(0, completion.Res);
        Assert.NotEqual(socket, Descriptors.Target(fd)); // closed (the number may already name another test's descriptor)
    }

    [RingFact]
    public void A_peer_reset_fails_a_pending_recv_with_econnreset()
    {
        var (client, server) = Loopback.TcpPair();
        using (server)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(server, new byte[16]);
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();

            Assert.Equal(Errno.ECONNRESET, ring.Next().Error);
        }
    }

    [RingFact]
    public void Socket_operation_arguments_are_checked_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("family", Assert.Throws<ArgumentException>(() => ring.SubmitSocket(AddressFamily.AppleTalk, SocketType.Stream)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentException>(() => ring.SubmitSocket(AddressFamily.InterNetwork, SocketType.Unknown)).ParamName);
        Assert.Equal("flags", Assert.Throws<ArgumentException>(() => ring.SubmitSocket(AddressFamily.InterNetwork, SocketType.Stream, flags: (SocketCreationFlags)1)).ParamName);
        Assert.Equal("fd", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitClose(-1)).ParamName);
        Assert.Equal("how", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitShutdown(0, (SocketShutdown)7)).ParamName);
        Assert.Equal("remote", Assert.Throws<ArgumentNullException>(() => ring.SubmitConnect(0, null!)).ParamName);
        Assert.Equal(0, ring.InFlight);
    }

    private static Socket Listen(IPAddress address)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(16);
        return listener;
    }
}
