using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class MessageOperationTests
{
    [RingTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Recvmsg_reports_the_bytes_and_the_senders_address(string address)
    {
        var ip = IPAddress.Parse(address);
        using var receiver = Udp(ip);
        using var sender = Udp(ip);
        using var ring = new Ring();
        var buffer = new byte[32];
        ring.SubmitRecvMsg(receiver, buffer, "recvmsg");

        sender.SendTo("datagram"u8, receiver.LocalEndPoint!);

        var completion = ring.Next();
        var message = Assert.IsType<ReceivedMessage>(completion.Result);
        Assert.Equal(8, message.BytesReceived);
        Assert.Equal(sender.LocalEndPoint, message.RemoteEndPoint);
        Assert.Equal(sender.LocalEndPoint, completion.RemoteEndPoint);
        Assert.Equal("datagram"u8.ToArray(), buffer[..8]);
        Assert.Equal(MessageFlags.None, message.Flags);
    }

    [RingFact]
    public void Recvmsg_of_a_datagram_larger_than_the_buffer_reports_truncation()
    {
        using var receiver = Udp(IPAddress.Loopback);
        using var sender = Udp(IPAddress.Loopback);
        using var ring = new Ring();
        ring.SubmitRecvMsg(receiver, new byte[4]);

        sender.SendTo(new byte[100], receiver.LocalEndPoint!);

        var message = Assert.IsType<ReceivedMessage>(ring.Next().Result);
        Assert.Equal(4, message.BytesReceived);
        Assert.True(message.Flags.HasFlag(MessageFlags.Truncate));
    }

    [RingFact]
    public void Recvmsg_on_a_unix_datagram_socket_reports_the_senders_path()
    {
        using var directory = new TempDirectory();
        using var receiver = UnixDatagram(directory.File("receiver.sock"));
        using var sender = UnixDatagram(directory.File("sender.sock"));
        using var ring = new Ring();
        ring.SubmitRecvMsg(receiver, new byte[16]);

        sender.SendTo("unix"u8, receiver.LocalEndPoint!);

        var message = Assert.IsType<ReceivedMessage>(ring.Next().Result);
        Assert.Equal(4, message.BytesReceived);
        Assert.Equal(directory.File("sender.sock"), message.RemoteEndPoint?.ToString());
    }

    [RingTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Sendto_delivers_a_datagram_to_the_given_address(string address)
    {
        var ip = IPAddress.Parse(address);
        using var receiver = Udp(ip);
        using var sender = Udp(ip);
        using var ring = new Ring();

        ring.SubmitSendTo(sender, "to you"u8.ToArray(), receiver.LocalEndPoint!, "sendto");

        var completion = ring.Next();
        Assert.Equal(CompletionKind.SendTo, completion.Kind);
        Assert.Equal(6, completion.Result);
        var buffer = new byte[16];
        EndPoint from = new IPEndPoint(ip, 0);
        Assert.Equal(6, receiver.ReceiveFrom(buffer, ref from));
        Assert.Equal(sender.LocalEndPoint, from);
    }

    [RingFact]
    public void Sendto_reaches_a_unix_domain_datagram_socket()
    {
        using var directory = new TempDirectory();
        using var receiver = UnixDatagram(directory.File("r.sock"));
        using var sender = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        using var ring = new Ring();

        ring.SubmitSendTo(sender, "unix dgram"u8.ToArray(), new UnixDomainSocketEndPoint(directory.File("r.sock")));

        Assert.Equal(10, ring.Next().Res);
        Assert.Equal(10, receiver.Receive(new byte[32]));
    }

    [RingFact]
    public void Sendmsg_gathers_several_buffers_into_one_stream_write()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            ReadOnlyMemory<byte>[] parts = ["GET "u8.ToArray(), "/ "u8.ToArray(), "HTTP/1.1\r\n"u8.ToArray()];

            ring.SubmitSendMsg(client, parts);

            Assert.Equal(16, ring.Next().Result);
            var received = new byte[16];
            var total = 0;
            while (total < 16)
            {
                total += server.Receive(received.AsSpan(total));
            }

            Assert.Equal("GET / HTTP/1.1\r\n"u8.ToArray(), received);
        }
    }

    [RingFact]
    public void Sendmsg_with_a_destination_sends_a_datagram_there()
    {
        using var receiver = Udp(IPAddress.Loopback);
        using var sender = Udp(IPAddress.Loopback);
        using var ring = new Ring();

        ring.SubmitSendMsg(sender, "msg"u8.ToArray(), receiver.LocalEndPoint);

        Assert.Equal(3, ring.Next().Res);
        Assert.Equal(3, receiver.Receive(new byte[8]));
    }

    [RingFact]
    public void Sendmsg_with_more_than_sixteen_buffers_is_refused_before_an_sqe_is_used()
    {
        using var ring = new Ring();
        var parts = Enumerable.Repeat(new ReadOnlyMemory<byte>(new byte[1]), 17).ToArray();

        var error = Assert.Throws<ArgumentException>(() => ring.SubmitSendMsg(0, parts));

        Assert.Equal("buffers", error.ParamName);
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public void Sendto_a_host_name_is_refused_with_advice_to_resolve_it()
    {
        using var sender = Udp(IPAddress.Loopback);
        using var ring = new Ring();

        var error = Assert.Throws<ArgumentException>(() => ring.SubmitSendTo(sender, new byte[1], new DnsEndPoint("localhost", 80)));

        Assert.Equal("destination", error.ParamName);
        Assert.Contains("resolve", error.Message, StringComparison.Ordinal);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact]
    public void Sendto_without_a_destination_is_refused()
    {
        using var ring = new Ring();

        Assert.Throws<ArgumentNullException>(() => ring.SubmitSendTo(0, new byte[1], null!));
    }

    private static Socket Udp(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static Socket UnixDatagram(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
