using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Send-all: a whole buffer through as many sends as the socket needs, one completion for the
/// caller, and the other sends, shutdowns and closes on that descriptor held behind it.
/// </summary>
public class SendAllTests
{
    private const int EightMiB = 8 * 1024 * 1024;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [RingFact]
    public void An_8_MiB_send_all_into_a_slow_reader_arrives_whole_and_in_order_as_one_completion()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var payload = Pattern(EightMiB, seed: 1);
            var reader = SlowReader.Start(server, EightMiB);

            ring.SubmitSendAll(client, payload, "all");
            var completion = NextWithin(ring);

            Assert.Equal("all", completion.UserData);
            Assert.Equal(CompletionKind.SendAll, completion.Kind);
            Assert.Equal(EightMiB, completion.Res);
            Assert.Equal(EightMiB, completion.BytesSent);
            Assert.Equal(EightMiB, completion.Result);
            Assert.True(ring.SubmitCalls > 2, $"one send took it all ({ring.SubmitCalls} submit calls): the test's socket buffers are too big to need legs");
            Assert.Equal(payload, reader.Received());
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void A_close_submitted_behind_a_send_all_runs_only_after_its_last_byte()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
        peer.Connect(listener.LocalEndPoint!);
        using var ring = new Ring();
        ring.SubmitAccept(listener);
        var fd = ((AcceptedSocket)ring.Next().Result!).Fd; // a raw descriptor nothing managed owns
        var payload = Pattern(EightMiB, seed: 2);
        var reader = SlowReader.Start(peer, EightMiB, thenExpectEnd: true);

        ring.SubmitSendAll(FileDescriptor.FromRaw(fd), payload, "all");
        ring.SubmitClose(fd, "close");
        var first = NextWithin(ring);
        var second = NextWithin(ring);

        Assert.Equal(("all", EightMiB), (first.UserData, first.Res));
        Assert.Equal(("close", 0), (second.UserData, second.Res));
        Assert.Equal(payload, reader.Received()); // every byte, then end of stream
    }

    [RingFact]
    public void Sends_and_a_shutdown_behind_a_send_all_go_out_after_it_in_submission_order()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var first = Pattern(2 * 1024 * 1024, seed: 3);
            var second = Pattern(1024 * 1024, seed: 4);
            var tail = "tail"u8.ToArray();
            var total = first.Length + second.Length + tail.Length;
            var reader = SlowReader.Start(server, total, thenExpectEnd: true);

            ring.SubmitSendAll(client, first, "first");
            ring.SubmitSendAll(client, second, "second");
            ring.SubmitSend(client, tail, "tail");
            ring.SubmitShutdown(client, SocketShutdown.Send, "shutdown");
            var order = Enumerable.Range(0, 4).Select(_ => NextWithin(ring)).Select(c => (c.UserData, c.Res)).ToArray();

            Assert.Equal([("first", first.Length), ("second", second.Length), ("tail", tail.Length), ("shutdown", 0)], order);
            Assert.Equal([.. first, .. second, .. tail], reader.Received());
        }
    }

    [RingFact]
    public void A_receive_on_the_descriptor_is_not_held_behind_a_send_all()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            ring.SubmitSendAll(client, Pattern(EightMiB, seed: 5), "stuck"); // nobody reads: it stays running
            ring.SubmitRecv(client, new byte[16], "recv");

            server.Send("ping"u8);
            var received = NextWithin(ring);

            Assert.Equal(("recv", 4), (received.UserData, received.Res));
        }
    }

    [RingFact]
    public void Cancelling_a_send_all_ends_it_with_ecanceled_and_the_bytes_sent_and_nothing_more_goes_out()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var payload = Pattern(EightMiB, seed: 6);
            var sendAll = ring.SubmitSendAll(client, payload, "all");
            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(100))); // the first leg filled the buffers and waits

            ring.SubmitCancel(sendAll, "cancel");
            var completions = ring.NextByUserData(2);
            client.Shutdown(SocketShutdown.Send);

            var ended = completions["all"];
            Assert.Equal(Errno.ECANCELED, ended.Error);
            Assert.InRange(ended.BytesSent, 1, EightMiB - 1);
            Assert.Equal(payload[..ended.BytesSent], SlowReader.Start(server, EightMiB, thenExpectEnd: true, exact: false).Received());
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void A_send_all_cancelled_while_held_behind_another_ends_without_sending_a_byte()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            var first = Pattern(2 * 1024 * 1024, seed: 7);
            ring.SubmitSendAll(client, first, "first");
            var held = ring.SubmitSendAll(client, Pattern(1024, seed: 8), "held");

            ring.SubmitCancel(held, "cancel");
            Assert.Equal(Errno.ENOENT, NextWithin(ring).Error); // the kernel never had it
            var reader = SlowReader.Start(server, first.Length);
            var completions = ring.NextByUserData(2);

            Assert.Equal(first.Length, completions["first"].Res);
            Assert.Equal((Errno.ECANCELED, 0), (completions["held"].Error, completions["held"].BytesSent));
            Assert.Equal(first, reader.Received());
        }
    }

    [RingFact]
    public void A_send_all_that_fails_reports_the_error_and_no_bytes_sent()
    {
        using var ring = new Ring();

        ring.SubmitSendAll(FileDescriptor.FromRaw(1_000_000), new byte[64]);
        var completion = ring.Next();

        Assert.Equal((CompletionKind.SendAll, Errno.EBADF, 0), (completion.Kind, completion.Error, completion.BytesSent));
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public void An_empty_send_all_completes_with_zero()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            ring.SubmitSendAll(client, ReadOnlyMemory<byte>.Empty);

            var completion = ring.Next();

            Assert.Equal((CompletionKind.SendAll, 0), (completion.Kind, completion.Res));
        }
    }

    [RingFact]
    public async Task Send_all_async_completes_once_the_whole_buffer_is_through()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var payload = Pattern(EightMiB, seed: 9);
            var reader = SlowReader.Start(server, EightMiB);

            var completion = await ring.SendAllAsync(client, payload).AsTask().WaitAsync(Patience);

            Assert.Equal(EightMiB, completion.Res);
            Assert.Equal(payload, reader.Received());
        }
    }

    [RingFact]
    public async Task Send_all_async_cancelled_by_its_token_throws_and_frees_everything()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

            var sending = ring.SendAllAsync(client, Pattern(EightMiB, seed: 10), cancellationToken: cancellation.Token).AsTask();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(Patience));
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact]
    public void Disposing_the_ring_ends_a_running_send_all_and_frees_what_was_held_behind_it()
    {
        var (client, server) = SmallBufferedPair();
        using (client)
        using (server)
        {
            var ring = new Ring();
            ring.SubmitSendAll(client, Pattern(EightMiB, seed: 11));
            ring.SubmitSend(client, new byte[16]);
            ring.SubmitShutdown(client, SocketShutdown.Both);

            ring.Dispose();

            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    /// <summary>A pair whose buffers are small, so that megabytes take many legs.</summary>
    private static (Socket Client, Socket Server) SmallBufferedPair()
    {
        var (client, server) = Loopback.TcpPair();
        client.SendBufferSize = 64 * 1024;
        server.ReceiveBufferSize = 64 * 1024;
        return (client, server);
    }

    private static Completion NextWithin(Ring ring) =>
        ring.Wait(Patience) ?? throw new Xunit.Sdk.XunitException($"no completion within {Patience}");

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A peer that reads in small pieces with pauses, as a slow consumer does.</summary>
    private sealed class SlowReader
    {
        private readonly Task<byte[]> _reading;

        private SlowReader(Task<byte[]> reading) => _reading = reading;

        /// <summary>Reads <paramref name="expected"/> bytes (fewer if the stream ends first and <paramref name="exact"/> is false), then, if asked, checks the stream ends there.</summary>
        public static SlowReader Start(Socket socket, int expected, bool thenExpectEnd = false, bool exact = true) => new(Task.Run(() =>
        {
            socket.ReceiveTimeout = (int)Patience.TotalMilliseconds;
            using var received = new MemoryStream();
            var piece = new byte[16 * 1024];
            var pieces = 0;
            while (received.Length < expected)
            {
                var n = socket.Receive(piece);
                if (n == 0)
                {
                    Assert.False(exact, $"the stream ended after {received.Length} of {expected} bytes");
                    return received.ToArray();
                }

                received.Write(piece, 0, n);
                if (++pieces % 16 == 0)
                {
                    Thread.Sleep(1);
                }
            }

            if (thenExpectEnd)
            {
                Assert.Equal(0, socket.Receive(piece));
            }

            return received.ToArray();
        }));

        public byte[] Received() => _reading.WaitAsync(Patience).GetAwaiter().GetResult();
    }
}
