using System.Net;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class StreamOperationTests
{
    [RingFact]
    public void Recv_and_send_move_bytes_over_a_socket_pair()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var buffer = new byte[16];
            ring.SubmitRecv(right, buffer, "recv");
            ring.SubmitSend(left, "hello"u8.ToArray(), "send");

            var completions = ring.NextByUserData(2);

            Assert.Equal(5, completions["send"].Res);
            Assert.Equal(5, completions["recv"].Result);
            Assert.Equal(CompletionKind.Recv, completions["recv"].Kind);
            Assert.Equal("hello"u8.ToArray(), buffer[..5]);
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Recv_and_send_move_bytes_over_tcp_loopback(string address)
    {
        var (client, server) = Loopback.TcpPair(IPAddress.Parse(address));
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var payload = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
            var received = new byte[payload.Length];
            ring.SubmitSend(client, payload, "send");
            var total = 0;
            while (total < payload.Length)
            {
                ring.SubmitRecv(server, received.AsMemory(total), "recv");
                var completion = ring.NextByUserData(total == 0 ? 2 : 1)["recv"];
                Assert.True(completion.Res > 0, completion.ToString());
                total += completion.Res;
            }

            Assert.Equal(payload, received);
        }
    }

    [RingFact]
    public void The_completion_carries_the_very_user_data_object_submitted()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var token = new object();
            ring.SubmitSend(left, new byte[] { 1 }, token);

            Assert.Same(token, ring.Next().UserData);
        }
    }

    [RingFact]
    public void Recv_completes_with_zero_bytes_at_end_of_stream()
    {
        var (left, right) = SocketPair.Create();
        using (right)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(right, new byte[8]);
            left.Dispose();

            var completion = ring.Next();
            Assert.True(completion.IsSuccess);
            Assert.Equal(0, completion.Result);
        }
    }

    [RingFact]
    public void Send_to_a_closed_peer_completes_with_epipe_not_a_signal()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (var ring = new Ring())
        {
            right.Dispose();
            ring.SubmitSend(left, new byte[] { 1, 2, 3 });

            var completion = ring.Next();
            Assert.Equal(Errno.EPIPE, completion.Error);
            Assert.Null(completion.Result);
            Assert.Throws<UringException>(completion.ThrowIfFailed);
        }
    }

    [RingFact]
    public void Recv_on_a_descriptor_that_is_not_open_completes_with_ebadf()
    {
        using var ring = new Ring();
        ring.SubmitRecv(FileDescriptor.FromRaw(1_000_000), new byte[8]);

        Assert.Equal(Errno.EBADF, ring.Next().Error);
    }

    [RingFact]
    public void Recv_on_a_descriptor_that_is_not_a_socket_completes_with_enotsock()
    {
        using var file = File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        using var ring = new Ring();
        ring.SubmitRecv(file, new byte[8]);

        Assert.Equal(Errno.ENOTSOCK, ring.Next().Error);
    }

    [RingFact]
    public void Disposing_a_socket_with_a_recv_in_flight_waits_until_the_ring_releases_it()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (var ring = new Ring())
        {
            var recv = ring.SubmitRecv(right, new byte[8], "recv");

            // The ring references the handle, so the fd cannot be closed (and its number reused) under
            // the kernel: Socket.Dispose waits for the reference, shutting the socket down meanwhile.
            var disposing = Task.Run(right.Dispose);
            Thread.Sleep(200);
            Assert.False(disposing.IsCompleted, "the socket closed while the kernel could still use its fd");

            ring.SubmitCancel(recv, "cancel");
            var completion = ring.NextByUserData(2)["recv"];
            Assert.True(completion.Error == Errno.ECANCELED || completion.Res == 0, completion.ToString());
            Assert.True(disposing.Wait(TimeSpan.FromSeconds(5)), "the socket did not close once its operation completed");
        }
    }
}
