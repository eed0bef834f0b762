using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class PollTests
{
    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public void A_poll_completes_with_the_ready_events_once_the_descriptor_is_ready()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitPoll(reader, PollEvents.In, "readable");
            Assert.Null(ring.Wait(TimeSpan.FromMilliseconds(50))); // nothing to read yet

            writer.Send(new byte[] { 1 });
            var ready = ring.Next();

            Assert.Equal("readable", ready.UserData);
            Assert.Equal(CompletionKind.Poll, ready.Kind);
            Assert.True(ready.Events.HasFlag(PollEvents.In));
            Assert.Equal(ready.Events, ready.Result);
            Assert.False(ready.HasMore);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public void A_writable_socket_polls_ready_for_output_at_once()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitPoll(writer, PollEvents.Out);

            Assert.True(ring.Next().Events.HasFlag(PollEvents.Out));
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public void A_multishot_poll_posts_a_numbered_completion_per_wake_up_until_removed()
    {
        var (writer, reader) = SocketPair.Create(System.Net.Sockets.SocketType.Dgram);
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            // Edge of readiness on each datagram; a receive between wake-ups re-arms the edge.
            var poll = ring.SubmitPollMultishot(reader, PollEvents.In, "watch");
            for (var i = 0; i < 3; i++)
            {
                writer.Send(new byte[] { (byte)i });
                var leg = ring.Next();
                Assert.Equal(i, leg.Sequence);
                Assert.True(leg.HasMore);
                Assert.True(leg.Events.HasFlag(PollEvents.In));
                reader.Receive(new byte[1]);
            }

            ring.SubmitPollRemove(poll, "remove");
            var outcomes = ring.NextByUserData(2);

            Assert.Equal(0, outcomes["remove"].Res);
            Assert.Equal(Errno.ECANCELED, outcomes["watch"].Error);
            Assert.False(outcomes["watch"].HasMore);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public void Removing_a_poll_that_already_completed_reports_enoent()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var poll = ring.SubmitPoll(writer, PollEvents.Out);
            ring.Next();

            ring.SubmitPollRemove(poll);

            Assert.Equal(Errno.ENOENT, ring.Next().Error);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public void Poll_arguments_are_checked_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("events", Assert.Throws<ArgumentException>(() => ring.SubmitPoll(0, PollEvents.None)).ParamName);
        Assert.Equal("events", Assert.Throws<ArgumentException>(() => ring.SubmitPoll(0, (PollEvents)0x80000)).ParamName);
        Assert.Equal("fd", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitPollMultishot(-3, PollEvents.In)).ParamName);
        Assert.Equal("poll", Assert.Throws<ArgumentException>(() => ring.SubmitPollRemove(default)).ParamName);
        Assert.Contains("not a poll", Assert.Throws<ArgumentException>(() => ring.SubmitPollRemove(ring.SubmitNop())).Message, StringComparison.Ordinal);
        ring.Next();
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public async Task An_awaited_poll_completes_with_the_events_and_honours_cancellation()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var readable = ring.PollAsync(reader, PollEvents.In);
            writer.Send(new byte[] { 7 });
            Assert.True((await readable.AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Events.HasFlag(PollEvents.In));

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            var idle = ring.PollAsync(writer, PollEvents.In, cancel.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle.AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.PollAdd)]
    public async Task A_multishot_poll_as_an_async_stream_yields_each_wake_up_and_leaving_the_loop_removes_it()
    {
        var (writer, reader) = SocketPair.Create(System.Net.Sockets.SocketType.Dgram);
        using (writer)
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var legs = 0;
            writer.Send(new byte[] { 1 });
            await foreach (var leg in ring.PollMultishotAsync(reader, PollEvents.In).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token))
            {
                Assert.True(leg.Events.HasFlag(PollEvents.In));
                reader.Receive(new byte[1]);
                if (++legs == 3)
                {
                    break;
                }

                writer.Send(new byte[] { 2 });
            }

            Assert.Equal(3, legs);
            await Task.Delay(50);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }
}
