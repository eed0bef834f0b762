using System.Net;
using System.Net.Sockets;
using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Per-operation deadlines: an operation linked to an IORING_OP_LINK_TIMEOUT, on real sockets.</summary>
public class DeadlineTests
{
    private static readonly RingDiagnostics Idle = new(0, 0, 0, 0);

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_receive_with_a_50_ms_deadline_on_a_silent_socket_completes_with_ecanceled_and_timed_out()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var submitted = DateTime.UtcNow;
            ring.SubmitRecv(reader, new byte[16], TimeSpan.FromMilliseconds(50), "recv");

            var completion = ring.Next();

            Assert.Equal("recv", completion.UserData);
            Assert.Equal(CompletionKind.Recv, completion.Kind);
            Assert.Equal(Errno.ECANCELED, completion.Error);
            Assert.True(completion.TimedOut);
            Assert.Null(completion.Result);
            Assert.True(DateTime.UtcNow - submitted >= TimeSpan.FromMilliseconds(40), "the deadline fired early"); // a lower bound only
            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(20))); // the linked timeout's own completion stays inside the ring
            Assert.Equal(Idle, ring.Diagnostics);
            Assert.Equal(0, ring.StaleCompletions);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_receive_whose_data_arrives_before_its_deadline_completes_normally_and_frees_its_slot()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var buffer = new byte[16];
            ring.SubmitRecv(reader, buffer, TimeSpan.FromMinutes(10), "recv");
            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(20)));

            writer.Send("hi"u8.ToArray());
            var completion = ring.Next();

            Assert.Equal("recv", completion.UserData);
            Assert.Equal(2, completion.Result);
            Assert.False(completion.TimedOut);
            Assert.Equal("hi"u8.ToArray(), buffer[..2]);
            Assert.Equal(Idle, ring.Diagnostics); // delivered only once the timeout's ECANCELED arrived too
            Assert.Equal(0, ring.StaleCompletions);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_zero_deadline_gives_the_operation_one_attempt()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(reader, new byte[16], TimeSpan.Zero, "nothing queued");
            var missed = ring.Next();
            Assert.Equal(Errno.ECANCELED, missed.Error);
            Assert.True(missed.TimedOut);

            writer.Send(new byte[] { 1, 2, 3 });
            ring.SubmitRecv(reader, new byte[16], TimeSpan.Zero, "data queued");
            var received = ring.Next();
            Assert.Equal(3, received.Res);
            Assert.False(received.TimedOut);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void An_accept_with_a_deadline_on_a_listener_nobody_connects_to_times_out()
    {
        using var listener = Listen();
        using var ring = new Ring();

        ring.SubmitAccept(listener, TimeSpan.FromMilliseconds(50), userData: "accept");
        var completion = ring.Next();

        Assert.Equal(CompletionKind.Accept, completion.Kind);
        Assert.Equal(Errno.ECANCELED, completion.Error);
        Assert.True(completion.TimedOut);
        Assert.Null(completion.RemoteEndPoint);
        Assert.Equal(Idle, ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void An_accept_with_a_deadline_returns_a_connection_that_arrives_in_time_with_its_peer_address()
    {
        using var listener = Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring();

        ring.SubmitAccept(listener, TimeSpan.FromMinutes(10), userData: "accept");
        client.Connect(listener.LocalEndPoint!);
        var completion = ring.Next();

        var accepted = Assert.IsType<AcceptedSocket>(completion.Result);
        using (accepted.ToSocket())
        {
            Assert.False(completion.TimedOut);
            Assert.Equal(client.LocalEndPoint, completion.RemoteEndPoint); // the sockaddr area is not where the deadline lives
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_connect_with_a_deadline_that_completes_in_time_is_not_marked_timed_out()
    {
        using var listener = Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring();

        ring.SubmitConnect(client, listener.LocalEndPoint!, TimeSpan.FromMinutes(10), "connect");
        var completion = ring.Next();

        Assert.Equal(0, completion.Res);
        Assert.False(completion.TimedOut);
        using (listener.Accept())
        {
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_send_with_a_deadline_to_a_peer_that_stopped_reading_times_out()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            writer.Blocking = false;
            var chunk = new byte[64 * 1024];
            while (writer.Send(chunk, SocketFlags.None, out var error) > 0 && error == SocketError.Success)
            {
            }

            ring.SubmitSend(writer, chunk, TimeSpan.FromMilliseconds(50), "send");
            var completion = ring.Next();

            Assert.Equal(Errno.ECANCELED, completion.Error);
            Assert.True(completion.TimedOut);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_cancelled_deadline_operation_ends_with_ecanceled_but_not_timed_out()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var recv = ring.SubmitRecv(reader, new byte[8], TimeSpan.FromMinutes(10), "recv");

            ring.SubmitCancel(recv, "cancel");
            var outcomes = ring.NextByUserData(2);

            Assert.Equal(Errno.ECANCELED, outcomes["recv"].Error);
            Assert.False(outcomes["recv"].TimedOut);
            Assert.Equal(0, outcomes["cancel"].Res);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public async Task An_awaited_receive_whose_deadline_passes_completes_with_a_timed_out_completion_instead_of_throwing()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var expired = await ring.RecvAsync(reader, new byte[8], TimeSpan.FromMilliseconds(30)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(Errno.ECANCELED, expired.Error);
            Assert.True(expired.TimedOut);

            writer.Send(new byte[] { 42 });
            var received = await ring.RecvAsync(reader, new byte[8], TimeSpan.FromMinutes(10)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1, received.Res);
            Assert.False(received.TimedOut);

            using var listener = Listen();
            var accept = await ring.AcceptAsync(listener, TimeSpan.FromMilliseconds(30)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(accept.TimedOut);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public async Task A_cancellation_token_cancels_an_awaited_receive_before_its_deadline()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => ring.RecvAsync(reader, new byte[8], TimeSpan.FromMinutes(10), cancellationToken: cancel.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

            // And a deadline shorter than the token's delay wins: a completion, not an exception.
            using var late = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var expired = await ring.RecvAsync(reader, new byte[8], TimeSpan.FromMilliseconds(20), cancellationToken: late.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(expired.TimedOut);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void Disposing_a_ring_with_deadline_operations_in_flight_drains_both_completions_of_each_and_leaks_nothing()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 32 });
            var awaited = new List<Task<Completion>>();
            for (var i = 0; i < 20; i++)
            {
                ring.SubmitRecv(reader, new byte[16], TimeSpan.FromMinutes(10));
            }

            for (var i = 0; i < 10; i++)
            {
                awaited.Add(ring.RecvAsync(reader, new byte[16], TimeSpan.FromMinutes(10)).AsTask());
            }

            Assert.Equal(30, ring.InFlight);

            ring.Dispose();

            Assert.Equal(Idle, ring.Diagnostics);
            Assert.All(awaited, task => Assert.Equal(Errno.ECANCELED, task.Result.Error));
            Assert.All(awaited, task => Assert.False(task.Result.TimedOut));
        }
    }

    [RingFact]
    public void A_negative_deadline_is_refused_before_the_kernel_naming_timeout()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var calls = ring.SubmitCalls;
            var negative = TimeSpan.FromTicks(-1);

            Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecv(reader, new byte[8], negative)).ParamName);
            Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitSend(writer, new byte[8], negative)).ParamName);
            Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitAccept(reader, negative)).ParamName);
            Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitConnect(writer, new IPEndPoint(IPAddress.Loopback, 1), Timeout.InfiniteTimeSpan)).ParamName);
            Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => { _ = ring.RecvAsync(reader, new byte[8], negative).AsTask(); }).ParamName);
            Assert.Equal(calls, ring.SubmitCalls);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact]
    public void A_ring_with_a_single_submission_entry_refuses_deadlines_before_the_kernel()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring(entries: 1))
        {
            Assert.Throws<InvalidOperationException>(() => ring.SubmitRecv(reader, new byte[8], TimeSpan.FromSeconds(1)));
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact]
    public void Callers_passing_only_the_old_arguments_still_bind_to_the_plain_overloads()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring(entries: 1)) // a deadline overload would throw here
        {
            ring.SubmitRecv(reader, new byte[8], null);
            ring.SubmitSend(writer, new byte[] { 1 }, "send");
            Assert.Equal(1, ring.Next().Res);
            Assert.Equal(1, ring.Next().Res);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.LinkTimeout)]
    public void A_thousand_deadline_receives_through_a_four_entry_submission_queue_keep_each_pair_together()
    {
        var (writer, reader) = SocketPair.Create(SocketType.Dgram);
        using (writer)
        using (reader)
        using (var ring = new Ring(new RingOptions { Entries = 4 }))
        {
            // Batching and a NOP now and then: the SQ fills up with pairs and single SQEs at every
            // alignment, so a pair often finds room for one SQE only and must flush first. A pair
            // ever split would leave a receive without its deadline on a silent socket: it would hang.
            ring.AutoSubmit = false;
            const int Operations = 1000;
            int submitted = 0, reaped = 0, timedOut = 0, received = 0, nops = 0;
            while (reaped < Operations)
            {
                while (submitted < Operations && ring.InFlight < ring.MaxInFlight)
                {
                    if (submitted % 7 == 3)
                    {
                        ring.SubmitNop("nop");
                    }
                    else
                    {
                        if (submitted % 5 == 0)
                        {
                            writer.Send(new byte[] { 1 });
                        }

                        ring.SubmitRecv(reader, new byte[4], TimeSpan.FromMilliseconds(1), "recv");
                    }

                    submitted++;
                }

                ring.Flush();
                var completion = ring.Next();
                reaped++;
                switch (completion)
                {
                    case { Kind: CompletionKind.Nop }:
                        nops++;
                        break;
                    case { Res: 1, TimedOut: false }:
                        received++;
                        break;
                    case { Error: Errno.ECANCELED, TimedOut: true }:
                        timedOut++;
                        break;
                    default:
                        Assert.Fail($"unexpected completion {completion}");
                        break;
                }
            }

            Assert.Equal(Operations, nops + received + timedOut);
            Assert.True(timedOut > 0);
            Assert.True(ring.SubmitCalls < Operations, "the operations were not batched");
            Assert.Equal(Idle, ring.Diagnostics);
            Assert.Equal(0, ring.StaleCompletions);
        }
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return listener;
    }
}
