using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Zero-copy sends: the caller sees one completion; the buffer stays pinned until the kernel's notification, which is consumed internally.</summary>
public class ZeroCopyTests
{
    [RingFact(RequiresOpcode = Native.RingOpcode.SendZc)]
    public void Send_zc_delivers_one_completion_and_keeps_the_buffer_pinned_until_the_notification()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var payload = Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray();

            ring.SubmitSendZc(client, payload, "zc");
            var completion = ring.Next();

            Assert.Equal("zc", completion.UserData);
            Assert.Equal(CompletionKind.SendZc, completion.Kind);
            Assert.False(completion.HasMore);
            Assert.True(completion.Res > 0, completion.ToString());
            // The notification follows the result: until it is reaped, the slot and the pin are held.
            Assert.Equal(1, ring.Diagnostics.InFlight);
            Assert.Equal(1, ring.Diagnostics.PinnedBuffers);

            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(200))); // consumes the notification, delivers nothing
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);

            var received = new byte[completion.Res];
            var total = 0;
            while (total < received.Length)
            {
                total += server.Receive(received.AsSpan(total));
            }

            Assert.Equal(payload[..completion.Res], received);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendZc)]
    public void Send_zc_that_fails_still_holds_its_buffer_until_the_notification_the_error_announced()
    {
        using var ring = new Ring();

        ring.SubmitSendZc(FileDescriptor.FromRaw(1_000_000), new byte[16]);
        var completion = ring.Next();

        Assert.Equal(Errno.EBADF, completion.Error);
        Assert.False(completion.HasMore);
        Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendZc)]
    public void Send_zc_to_a_reset_peer_fails_and_still_releases_the_buffer_only_after_the_notification()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (var ring = new Ring())
        {
            server.LingerState = new LingerOption(true, 0);
            server.Dispose(); // RST
            Thread.Sleep(50);

            ring.SubmitSendZc(client, new byte[1024]);
            var completion = ring.Next();
            Assert.False(completion.HasMore);
            Assert.Contains(completion.Error, new[] { Errno.ECONNRESET, Errno.EPIPE, Errno.None });

            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(200)));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendMsgZc)]
    public void Sendmsg_zc_delivers_a_datagram_and_consumes_its_notification()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var ring = new Ring();

        ring.SubmitSendMsgZc(sender, "zero copy"u8.ToArray(), receiver.LocalEndPoint, "zc msg");

        var completion = ring.Next();
        Assert.Equal(CompletionKind.SendMsgZc, completion.Kind);
        Assert.Equal(9, completion.Result);
        Assert.Equal(9, receiver.Receive(new byte[16]));
        Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendMsgZc)]
    public void Sendmsg_zc_gathers_buffers()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            ring.SubmitSendMsgZc(client, new ReadOnlyMemory<byte>[] { "ab"u8.ToArray(), "cd"u8.ToArray() });

            Assert.Equal(4, ring.Next().Res);
            var received = new byte[4];
            Assert.Equal(4, server.Receive(received));
            Assert.Equal("abcd"u8.ToArray(), received);
        }
    }
}
