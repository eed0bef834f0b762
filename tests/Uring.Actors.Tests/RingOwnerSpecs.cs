using Akka.Actor;
using Uring.Actors.Protocol;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

/// <summary>Direct use of a ring owner; on several rings, of the last ring's, which takes the same commands as ring 0's.</summary>
public abstract class RingOwnerSpecs(int rings) : UringSpec("uring.ring { entries = 2, max-in-flight = 4 }", rings)
{
    private IActorRef Owner => UringTcp.Get(Sys).RingOwners[^1];

    private Task<Ring> OwnersRing() => Owner.Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(5));

    [Fact]
    public void A_submission_through_the_owner_completes_at_the_requester()
    {
        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), "nop"));

        var completed = ExpectMsg<RingProtocol.Completed>();
        Assert.Equal("nop", completed.Tag);
        Assert.Equal(CompletionKind.Nop, completed.Completion.Kind);
    }

    [Fact]
    public void Completions_go_to_any_actor_the_submission_names()
    {
        var probe = CreateTestProbe();

        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), "for the probe", probe.Ref));

        Assert.Equal("for the probe", probe.ExpectMsg<RingProtocol.Completed>().Tag);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_submit_from_another_thread_is_refused_while_the_actor_path_works()
    {
        var ring = await OwnersRing();
        Assert.True(ring.Flags.HasFlag(RingSetupFlags.SingleIssuer));

        var refused = Assert.Throws<InvalidOperationException>(() => ring.SubmitNop("from the test thread"));
        Assert.Contains("SingleIssuer", refused.Message, StringComparison.Ordinal);

        Owner.Tell(new RingProtocol.Submit((r, userData) => r.SubmitNop(userData), "from the owner"));
        Assert.Equal("from the owner", ExpectMsg<RingProtocol.Completed>().Tag);
    }

    [Fact]
    public async Task The_ring_defers_its_task_work_to_the_loop_when_the_kernel_offers_it()
    {
        var ring = await OwnersRing();

        var offered = UringProbe.Probe(flags: RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun).Available;
        Assert.Equal(offered, ring.Flags.HasFlag(RingSetupFlags.DeferTaskrun));
    }

    [Fact]
    public async Task The_thread_that_submits_is_the_thread_that_reaps()
    {
        var submitter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reaper = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        Owner.Tell(new RingProtocol.Submit(
            (ring, userData) =>
            {
                submitter.TrySetResult(Environment.CurrentManagedThreadId);
                return ring.SubmitNop(userData);
            },
            "nop",
            Intercept: _ => reaper.TrySetResult(Environment.CurrentManagedThreadId)));

        Assert.Equal(await submitter.Task.WaitAsync(TimeSpan.FromSeconds(5)), await reaper.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_file_is_opened_written_read_back_and_timed_through_the_owner_like_any_other_operation()
    {
        var path = Path.Combine(Path.GetTempPath(), $"uring-owner-{Guid.NewGuid():N}");
        try
        {
            Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitOpenAt(path, OpenFlags.ReadWrite | OpenFlags.Create, userData: userData), "open"));
            using var file = Assert.IsType<Microsoft.Win32.SafeHandles.SafeFileHandle>(ExpectMsg<RingProtocol.Completed>().Completion.Result);

            Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitWrite(file, "hello"u8.ToArray(), offset: 3, userData), "write"));
            Assert.Equal(5, ExpectMsg<RingProtocol.Completed>().Completion.Res);
            var buffer = new byte[16];
            Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitRead(file, buffer, offset: 3, userData), "read"));
            Assert.Equal(5, ExpectMsg<RingProtocol.Completed>().Completion.Res);
            Assert.Equal("hello"u8.ToArray(), buffer[..5]);
            Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitTimeout(TimeSpan.FromMilliseconds(10), userData), "timer"));
            Assert.Equal(Errno.ETIME, ExpectMsg<RingProtocol.Completed>().Completion.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_interceptor_that_takes_a_completion_suppresses_its_message_and_one_that_throws_leaves_it_to_ordinary_delivery()
    {
        var taken = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);

        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), "taken", Intercept: completion => taken.TrySetResult(completion)));
        Assert.Equal(CompletionKind.Nop, (await taken.Task.WaitAsync(TimeSpan.FromSeconds(5))).Kind);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), "thrown", Intercept: _ => throw new InvalidOperationException("faulty interceptor")));
        Assert.Equal("thrown", ExpectMsg<RingProtocol.Completed>().Tag);

        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), "after")); // the loop survived
        Assert.Equal("after", ExpectMsg<RingProtocol.Completed>().Tag);
    }

    [Fact]
    public void A_submission_the_ring_refuses_is_reported_to_its_recipient()
    {
        Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitRecv(-1, new byte[1], userData), "bad fd"));

        var failed = ExpectMsg<RingProtocol.SubmitFailed>();
        Assert.Equal("bad fd", failed.Tag);
        Assert.IsType<ArgumentOutOfRangeException>(failed.Cause);
    }

    [Fact]
    public async Task Ten_thousand_commands_from_several_requesters_on_a_two_entry_ring_all_complete_in_per_requester_order()
    {
        await SendTenThousandCommandsAndExpectThemInOrder(this, Owner);

        var ring = await OwnersRing();
        Assert.Equal(2, ring.SqEntries);
        Assert.Equal(4, ring.MaxInFlight);
        AwaitAssert(() => Assert.Equal(0, ring.InFlight));
    }

    /// <summary>5 requesters × 2,000 NOP commands; each requester's completions must come back complete and in order.</summary>
    internal static async Task SendTenThousandCommandsAndExpectThemInOrder(Akka.TestKit.Xunit2.TestKit kit, IActorRef owner)
    {
        const int Requesters = 5;
        const int PerRequester = 2000;
        var probes = Enumerable.Range(0, Requesters).Select(_ => kit.CreateTestProbe()).ToList();
        var senders = probes.Select((probe, r) => Task.Run(() =>
        {
            for (var i = 0; i < PerRequester; i++)
            {
                owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitNop(userData), i), probe.Ref);
            }
        })).ToArray();
        await Task.WhenAll(senders);

        foreach (var probe in probes)
        {
            var tags = probe.ReceiveN(PerRequester, TimeSpan.FromSeconds(60)).Cast<RingProtocol.Completed>().Select(c => (int)c.Tag!).ToList();
            Assert.Equal(Enumerable.Range(0, PerRequester), tags);
        }
    }

    [Fact]
    public void A_cancelled_operation_still_completes_at_its_recipient()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            Owner.Tell(new RingProtocol.Submit((ring, userData) => ring.SubmitRecv(reader, new byte[8], userData), "recv", AcknowledgeWith: true));
            var submitted = ExpectMsg<RingProtocol.Submitted>();

            Owner.Tell(new RingProtocol.Cancel(submitted.Handle));

            Assert.Equal(Errno.ECANCELED, ExpectMsg<RingProtocol.Completed>().Completion.Error);
        }
    }

    [Fact]
    public async Task Stopping_the_actor_system_cancels_and_drains_in_flight_operations_before_freeing_the_ring()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            var ring = await OwnersRing();
            Owner.Tell(new RingProtocol.Submit((r, userData) => r.SubmitRecvMultishot(reader, 64, 4, userData), "multishot"));
            Owner.Tell(new RingProtocol.Submit((r, userData) => r.SubmitRecv(reader, new byte[8], userData), "recv"));
            AwaitAssert(() => Assert.Equal(2, ring.InFlight));

            Shutdown(verifySystemShutdown: true);

            Assert.True(ring.IsClosed);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }
}

/// <summary>
/// The owner on a 2-entry completion queue with an in-flight limit of 64, so completions can
/// outnumber the CQ whenever the reaper falls behind. The kernel holds the excess (NODROP) and the
/// owner keeps going; nothing is lost, dropped or reordered.
/// </summary>
public abstract class RingOwnerWithOverflowingCompletionQueueSpecs(int rings) : UringSpec("uring.ring { entries = 2, completion-queue-entries = 2, max-in-flight = 64 }", rings)
{
    [Fact]
    public async Task Ten_thousand_commands_through_a_two_entry_completion_queue_all_complete_in_per_requester_order()
    {
        var owner = UringTcp.Get(Sys).RingOwners[^1];

        await RingOwnerSpecs.SendTenThousandCommandsAndExpectThemInOrder(this, owner);

        var ring = await owner.Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(2, ring.CqEntries);
        Assert.Equal(0, ring.CompletionOverflow); // held back, never dropped
        AwaitAssert(() => Assert.Equal(0, ring.InFlight));
    }
}

public sealed class RingOwnerSpecsOnOneRing() : RingOwnerSpecs(1);

public sealed class RingOwnerSpecsOnSeveralRings() : RingOwnerSpecs(SeveralRings);

public sealed class RingOwnerWithOverflowingCompletionQueueSpecsOnOneRing() : RingOwnerWithOverflowingCompletionQueueSpecs(1);

public sealed class RingOwnerWithOverflowingCompletionQueueSpecsOnSeveralRings() : RingOwnerWithOverflowingCompletionQueueSpecs(SeveralRings);

/// <summary>The owner on the default 256-entry ring: a whole mailbox burst fits in the SQ.</summary>
public abstract class RingOwnerBatchingSpecs(int rings) : UringSpec(rings: rings)
{
    private IActorRef Owner => UringTcp.Get(Sys).RingOwners[^1];

    [Fact]
    public async Task Submissions_that_arrive_in_a_burst_reach_the_kernel_in_one_io_uring_enter()
    {
        var ring = await Owner.Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(5));
        using var release = new ManualResetEventSlim();
        Owner.Tell(new RingProtocol.Submit((r, userData) =>
        {
            release.Wait(TimeSpan.FromSeconds(5)); // hold the owner while the burst queues up behind
            return r.SubmitNop(userData);
        }, "gate"));
        for (var i = 0; i < 50; i++)
        {
            Owner.Tell(new RingProtocol.Submit((r, userData) => r.SubmitNop(userData), i));
        }

        await Task.Delay(100);
        var before = ring.SubmitCalls;
        release.Set();
        ReceiveN(51, TimeSpan.FromSeconds(10));

        Assert.Equal(1, ring.SubmitCalls - before);
    }
}

public sealed class RingOwnerBatchingSpecsOnOneRing() : RingOwnerBatchingSpecs(1);

public sealed class RingOwnerBatchingSpecsOnSeveralRings() : RingOwnerBatchingSpecs(SeveralRings);
