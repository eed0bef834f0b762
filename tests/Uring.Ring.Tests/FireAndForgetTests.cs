using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Close, shutdown, cancel and poll-remove with no completion for the caller: they take no slot,
/// successes vanish inside the ring, and failures reach the ring's handler or its log.
/// </summary>
public class FireAndForgetTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    [RingFact]
    public void A_forgotten_close_closes_the_descriptor_and_posts_nothing()
    {
        using var listener = Listener();
        using var peer = ConnectedTo(listener);
        using var ring = new Ring();
        ring.SubmitAccept(listener);
        var fd = ((AcceptedSocket)ring.Next().Result!).Fd;

        ring.SubmitCloseAndForget(fd);

        Assert.Null(ring.Wait(Quiet));
        Assert.Equal(0, peer.Receive(new byte[1])); // the accepted side is gone: end of stream
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact]
    public void A_forgotten_close_that_fails_reaches_the_ring_handler_with_kind_fd_and_errno()
    {
        using var ring = new Ring();
        var failures = new List<FireAndForgetFailure>();
        ring.FireAndForgetFailed = failures.Add;

        ring.SubmitCloseAndForget(1_000_000);

        Assert.Null(ring.Wait(Quiet));
        Assert.Equal([new FireAndForgetFailure(CompletionKind.Close, 1_000_000, Errno.EBADF)], failures);
    }

    [RingFact]
    public void A_failure_with_no_handler_is_logged_as_a_warning_naming_the_descriptor_and_errno()
    {
        var log = new ListLogger();
        using var ring = new Ring(new RingOptions { Logger = log });

        ring.SubmitCloseAndForget(1_000_001);
        Assert.Null(ring.Wait(Quiet));

        var (level, text) = Assert.Single(log.Messages);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("fire-and-forget Close on descriptor 1000001 failed with EBADF", text);
    }

    [RingFact]
    public void A_handler_that_throws_is_logged_and_the_ring_goes_on()
    {
        var log = new ListLogger();
        using var ring = new Ring(new RingOptions { Logger = log });
        ring.FireAndForgetFailed = _ => throw new InvalidOperationException("handler bug");

        ring.SubmitCloseAndForget(1_000_002);
        Assert.Null(ring.Wait(Quiet));
        ring.SubmitNop("after");

        Assert.Equal("after", ring.Next().UserData);
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Error && m.Text.Contains("handler threw", StringComparison.Ordinal));
    }

    [RingTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_forgotten_shutdown_of_a_socket_reaches_the_peer_and_lets_the_socket_close_whatever_auto_submit_says(bool autoSubmit)
    {
        var (client, server) = Loopback.TcpPair();
        using (server)
        using (var ring = new Ring { AutoSubmit = autoSubmit })
        {
            ring.SubmitShutdownAndForget(client, SocketShutdown.Send);

            server.ReceiveTimeout = 5_000;
            Assert.Equal(0, server.Receive(new byte[1])); // FIN, with no Flush
            Assert.True(Task.Run(client.Dispose).Wait(TimeSpan.FromSeconds(5)), "the ring still holds the socket's handle");
            Assert.Null(ring.Wait(Quiet));
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact(RequiresSetup = RingSetupFlags.SqPoll)]
    public void A_forgotten_shutdown_on_an_sqpoll_ring_keeps_the_socket_until_its_completion_and_posts_nothing()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring(new RingOptions { Flags = RingSetupFlags.SqPoll }))
        {
            ring.SubmitShutdownAndForget(client, SocketShutdown.Send);

            Assert.Null(ring.Wait(Quiet));
            server.ReceiveTimeout = 5_000;
            Assert.Equal(0, server.Receive(new byte[1]));
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact]
    public void A_forgotten_shutdown_waits_behind_a_send_all_on_its_socket()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var ring = new Ring())
        {
            client.SendBufferSize = 64 * 1024;
            var payload = new byte[4 * 1024 * 1024];
            Random.Shared.NextBytes(payload);

            ring.SubmitSendAll(client, payload, "all");
            ring.SubmitShutdownAndForget(client, SocketShutdown.Send);
            var received = Task.Run(() => ReadToEnd(server));

            Assert.Equal(payload.Length, ring.Next().Res);
            Assert.Equal(payload, received.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult());
            Assert.Null(ring.Wait(Quiet));
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact]
    public void A_forgotten_cancel_ends_its_target_takes_no_slot_and_posts_nothing_of_its_own()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring(new RingOptions { MaxInFlight = 1 }))
        {
            var recv = ring.SubmitRecv(right, new byte[8], "recv");

            ring.SubmitCancelAndForget(recv); // at the in-flight limit: it needs no slot

            var ended = ring.Next();

            Assert.Equal(("recv", Errno.ECANCELED), (ended.UserData, ended.Error));
            Assert.Null(ring.Wait(Quiet));
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact]
    public void A_forgotten_cancel_of_an_operation_that_already_completed_is_not_a_failure()
    {
        using var ring = new Ring();
        var failures = new List<FireAndForgetFailure>();
        ring.FireAndForgetFailed = failures.Add;
        var nop = ring.SubmitNop();
        ring.Next();

        ring.SubmitCancelAndForget(nop);

        Assert.Null(ring.Wait(Quiet));
        Assert.Empty(failures); // ENOENT: nothing was left to cancel
    }

    [RingFact]
    public void A_forgotten_poll_remove_ends_the_poll_and_posts_nothing_of_its_own()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            var poll = ring.SubmitPoll(right, PollEvents.In, "poll");

            ring.SubmitPollRemoveAndForget(poll);
            var ended = ring.Next();

            Assert.Equal(("poll", Errno.ECANCELED), (ended.UserData, ended.Error));
            Assert.Null(ring.Wait(Quiet));
        }
    }

    [RingFact]
    public void Bad_arguments_are_refused_before_anything_reaches_the_kernel()
    {
        using var ring = new Ring();
        using var other = new Ring();
        var nop = ring.SubmitNop();

        Assert.Equal("fd", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitCloseAndForget(-1)).ParamName);
        Assert.Equal("how", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitShutdownAndForget(0, (SocketShutdown)7)).ParamName);
        Assert.Equal("operation", Assert.Throws<ArgumentException>(() => ring.SubmitCancelAndForget(default)).ParamName);
        Assert.Equal("operation", Assert.Throws<ArgumentException>(() => other.SubmitCancelAndForget(nop)).ParamName);
        Assert.Equal("poll", Assert.Throws<ArgumentException>(() => ring.SubmitPollRemoveAndForget(nop)).ParamName);
        Assert.Equal(1, ring.SubmitCalls);
    }

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return listener;
    }

    private static Socket ConnectedTo(Socket listener)
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5_000 };
        peer.Connect(listener.LocalEndPoint!);
        return peer;
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        socket.ReceiveTimeout = 30_000;
        using var all = new MemoryStream();
        var piece = new byte[64 * 1024];
        int n;
        while ((n = socket.Receive(piece)) > 0)
        {
            all.Write(piece, 0, n);
        }

        return all.ToArray();
    }
}
