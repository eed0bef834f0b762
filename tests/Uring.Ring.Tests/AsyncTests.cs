using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class AsyncTests
{
    [RingFact]
    public async Task Awaited_send_and_recv_complete_through_the_completion_thread()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var buffer = new byte[16];
            var receive = ring.RecvAsync(right, buffer);
            var sent = await ring.SendAsync(left, "async"u8.ToArray());
            var received = await receive;

            Assert.Equal(5, sent.Result);
            Assert.Equal(5, received.Result);
            Assert.Equal("async"u8.ToArray(), buffer[..5]);
        }
    }

    [RingFact]
    public async Task Awaited_operations_are_completed_by_a_wait_loop_too()
    {
        using var ring = new Ring();
        var nop = ring.NopAsync();

        Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(100))); // routes the NOP to its awaiter, returns nothing

        Assert.Equal(CompletionKind.Nop, (await nop).Kind);
    }

    [RingFact]
    public async Task An_accept_connect_exchange_runs_entirely_on_awaits()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var ring = new Ring();
        using var loop = ring.StartCompletionThread();

        var accepting = ring.AcceptAsync(listener);
        var created = await ring.SocketAsync(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var client = new Socket(new SafeSocketHandle((int)created.Result!, ownsHandle: true));
        Assert.Equal(0, (await ring.ConnectAsync(client, listener.LocalEndPoint!)).Res);
        using var server = Assert.IsType<AcceptedSocket>((await accepting).Result).ToSocket();

        await ring.SendMsgAsync(server, new ReadOnlyMemory<byte>[] { "he"u8.ToArray(), "llo"u8.ToArray() });
        var buffer = new byte[8];
        var message = Assert.IsType<ReceivedMessage>((await ring.RecvMsgAsync(client, buffer)).Result);
        await ring.ShutdownAsync(server, SocketShutdown.Both);

        Assert.Equal(5, message.BytesReceived);
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
    }

    [RingFact]
    public async Task Cancelling_an_awaited_recv_throws_only_after_the_kernel_posted_its_completion()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            using var cancellation = new CancellationTokenSource();
            var receive = ring.RecvAsync(right, new byte[8], cancellationToken: cancellation.Token);

            cancellation.CancelAfter(50);

            var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await receive);
            Assert.Equal(cancellation.Token, error.CancellationToken);
            Assert.Equal(0, ring.InFlight); // the slot was freed by the ECANCELED completion, before the await returned
        }
    }

    [RingFact]
    public async Task An_already_cancelled_token_submits_nothing()
    {
        using var ring = new Ring();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ring.NopAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public async Task Async_enumeration_of_a_multishot_recv_yields_every_leg_until_end_of_stream()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var sender = Task.Run(() =>
            {
                for (var i = 0; i < 50; i++)
                {
                    writer.Send([(byte)i]);
                }

                writer.Dispose();
            });
            var received = new List<byte>();
            var sequences = new List<int>();
            Completion last = default;

            await foreach (var leg in ring.RecvMultishotAsync(reader, bufferSize: 1, bufferCount: 64))
            {
                received.AddRange(leg.Data.ToArray());
                sequences.Add(leg.Sequence);
                last = leg;
            }

            await sender;
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), received);
            Assert.Equal(Enumerable.Range(0, sequences.Count), sequences);
            Assert.Equal(0, last.Res);
            Assert.False(last.HasMore);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingTheory(RequiresOpcode = Native.RingOpcode.Recv)]
    [InlineData(1, 64)] // legs overflow the 4-entry CQ: the kernel ends the request, the stream re-arms
    [InlineData(64, 1)] // one buffer: the kernel ends the request with ENOBUFS, the stream re-arms
    public async Task A_multishot_stream_re_arms_when_the_kernel_ends_the_request_and_loses_no_data(int entries, int bufferCount)
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring(new RingOptions { Entries = entries, MaxInFlight = 4 }))
        using (ring.StartCompletionThread())
        {
            var payload = Enumerable.Range(0, 3000).Select(i => (byte)(i * 13)).ToArray();
            var sender = Task.Run(() =>
            {
                for (var i = 0; i < payload.Length; i += 3)
                {
                    writer.Send(payload.AsSpan(i, 3));
                }

                writer.Dispose();
            });
            var received = new List<byte>();
            var sequences = new List<int>();

            await foreach (var leg in ring.RecvMultishotAsync(reader, bufferSize: 2, bufferCount: bufferCount))
            {
                received.AddRange(leg.Data.ToArray());
                sequences.Add(leg.Sequence);
            }

            await sender;
            Assert.Equal(payload, received);
            Assert.Equal(Enumerable.Range(0, sequences.Count), sequences);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public async Task Leaving_a_multishot_enumeration_early_cancels_it_and_waits_for_its_end()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            writer.Send([1, 2, 3]);
            await foreach (var leg in ring.RecvMultishotAsync(reader))
            {
                break;
            }

            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Accept)]
    public async Task Multishot_accept_as_an_async_stream_cancels_on_the_token()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var ring = new Ring();
        using var loop = ring.StartCompletionThread();
        using var cancellation = new CancellationTokenSource();
        var accepted = new List<int>();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connecting = client.ConnectAsync(listener.LocalEndPoint!);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var connection in ring.AcceptMultishotAsync(listener, cancellationToken: cancellation.Token))
            {
                var socket = Assert.IsType<AcceptedSocket>(connection.Result);
                accepted.Add(socket.Fd);
                socket.ToSocket().Dispose();
                cancellation.Cancel();
            }
        });

        await connecting;
        Assert.Single(accepted);
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public async Task An_awaited_recv_started_on_a_thread_that_then_exits_survives_through_the_completion_thread()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            ValueTask<Completion> receive = default;
            BackgroundThread.Run(() => receive = ring.RecvAsync(right, new byte[4])); // this thread exits now
            await Task.Delay(100);

            left.Send([42]);

            var completion = await receive;
            Assert.True(completion.IsSuccess, $"the kernel cancelled a receive whose caller thread exited: {completion}");
            Assert.Equal(1, completion.Res);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.SendZc)]
    public async Task An_awaited_zero_copy_send_returns_only_after_the_notification_freed_its_buffer()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            // On loopback the kernel may hold the pages until the receiver has consumed them.
            var sending = ring.SendZcAsync(client, new byte[4096]).AsTask();
            var received = 0;
            while (received < 4096)
            {
                received += server.Receive(new byte[4096]);
            }

            var completion = await sending;
            Assert.Equal(4096, completion.Res);
            Assert.Equal(0, ring.Diagnostics.PinnedBuffers);
        }
    }

    [RingFact]
    public void A_completion_thread_is_refused_on_a_single_issuer_ring_and_while_workers_serve()
    {
        using (var singleIssuer = new Ring(8, RingSetupFlags.SingleIssuer))
        {
            Assert.Throws<InvalidOperationException>(() => singleIssuer.StartCompletionThread());
        }

        using var ring = new Ring();
        using (ring.StartCompletionThread())
        {
            Assert.Throws<InvalidOperationException>(ring.ServeCompletions);
            Assert.Throws<InvalidOperationException>(() => ring.StartCompletionThread());
        }
    }
}
