using Uring.Ops;

namespace Uring.Tests;

/// <summary>
/// Under DeferTaskrun the kernel turns finished I/O into a completion only when the submitter
/// enters the kernel to reap; a caller that only looks (<c>Wait(TimeSpan.Zero)</c>) must still see it.
/// </summary>
public class DeferredTaskWorkTests
{
    [SkippableTheory]
    [InlineData(RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun)]
    [InlineData(RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun | RingSetupFlags.TaskrunFlag)]
    public void Looking_without_waiting_sees_a_receive_the_kernel_finished_in_deferred_work(RingSetupFlags flags)
    {
        var probe = UringProbe.Probe(flags: flags);
        Skip.IfNot(probe.Available, probe.UnavailableReason);
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring(new RingOptions { Entries = 4, Flags = flags })) // closed first: a socket the ring still holds cannot close
        {
            var buffer = new byte[8];
            ring.SubmitRecv(reader, buffer, "recv"); // no data yet: armed, waiting in the kernel
            Assert.Null(ring.Wait(TimeSpan.Zero));

            writer.Send("ping"u8);
            Completion? seen = null;
            for (var attempt = 0; attempt < 100 && seen is null; attempt++)
            {
                seen = ring.Wait(TimeSpan.Zero); // the wake-up may land a moment after Send returns
                if (seen is null)
                {
                    Thread.Sleep(10);
                }
            }

            Assert.NotNull(seen);
            Assert.Equal(("recv", 4), (seen.Value.UserData, seen.Value.Res));
            Assert.Equal("ping"u8.ToArray(), buffer[..4]);
        }
    }

    [SkippableFact]
    public void The_kernel_flags_pending_deferred_work_when_asked_to()
    {
        const RingSetupFlags flags = RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun | RingSetupFlags.TaskrunFlag;
        var probe = UringProbe.Probe(flags: flags);
        Skip.IfNot(probe.Available, probe.UnavailableReason);
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new RawRing(new RingOptions { Entries = 4, Flags = flags }))
        {
            var buffer = new PinnedBuffer(8);
            Assert.True(ring.TryPrepare(new RecvOperation((int)reader.Handle, buffer.Address, 8, MessageFlags.None), 1));
            ring.Submit();
            Assert.False(ring.TaskWorkPending);

            writer.Send("ping"u8);
            SpinWait.SpinUntil(() => ring.TaskWorkPending, TimeSpan.FromSeconds(5));
            Assert.Equal(0, ring.CompletionsReady); // finished, but not posted until the submitter enters

            ring.GetEvents();

            Assert.Equal(1, ring.CompletionsReady);
            Assert.False(ring.TaskWorkPending);
        }
    }
}
