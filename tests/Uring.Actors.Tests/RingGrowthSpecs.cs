using System.Net.Sockets;
using Akka.Actor;
using Akka.Actor.Dsl;
using Akka.Event;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Rings that start with a 64-entry completion queue, and so an in-flight limit of 64, grow
/// (uring.ring.grow-completion-queue-to, on by default) instead of leaving connections past the
/// limit accepted but silent: 1,000 connections open at once are all served.
/// </summary>
public abstract class RingGrowthSpecs(int rings) : UringSpec("uring.ring { entries = 16, completion-queue-entries = 64 }\nakka.loglevel = INFO", rings)
{
    private const int Connections = 1000;

    [RingGrowthFact]
    public async Task A_thousand_connections_on_rings_that_start_with_a_64_entry_completion_queue_are_all_served()
    {
        var manager = UringTcp.Get(Sys).Manager;
        var testActor = TestActor;
        var reports = Sys.ActorOf(act =>
        {
            act.Receive<Tcp.Bound>((bound, _) => testActor.Tell(bound));
            act.ReceiveAny((_, _) => { });
        });
        var growthLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listener = Sys.ActorOf(act => act.Receive<Info>((info, _) =>
        {
            if (info.Message.ToString() is { } text && text.Contains(" grew: ", StringComparison.Ordinal))
            {
                growthLog.Enqueue(text);
            }
        }));
        Sys.EventStream.Subscribe(listener, typeof(Info));
        Sys.ActorOf(Props.Create(() => new EchoServer(manager, reports, null, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var rings = await AllRings();
        Assert.All(rings, ring => Assert.Equal((64, 65536), (ring.CqEntries, ring.GrowCompletionQueueTo)));

        var clients = new Socket[Connections];
        try
        {
            using (var parallel = new SemaphoreSlim(64))
            {
                await Task.WhenAll(Enumerable.Range(0, Connections).Select(async i =>
                {
                    await parallel.WaitAsync();
                    try
                    {
                        clients[i] = await Connect(endpoint);
                    }
                    finally
                    {
                        parallel.Release();
                    }
                })).WaitAsync(TimeSpan.FromMinutes(1));
            }

            // Every connection open at once, each echoing: past 64 this needs room a 64-entry ring lacks.
            await Task.WhenAll(clients.Select((client, i) => AssertEchoes(client, BitConverter.GetBytes(i)))).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(Connections, UringTcp.Get(Sys).Rings.Sum(ring => ring.Connections));
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }

        Assert.All(rings, ring => Assert.True(ring.MaxInFlight == ring.CqEntries && ring.CqEntries > 64, $"ring {ring.Name} stayed at cq {ring.CqEntries}"));
        var steps = rings.Sum(ring => (int)Math.Log2(ring.CqEntries / 64));
        await AwaitAssertAsync(() => Assert.Equal(steps, growthLog.Count), TimeSpan.FromSeconds(5)); // once per step, no more
    }
}

/// <summary>Skips, with the probe's reason, where growth cannot happen: no DEFER_TASKRUN or no ring resize.</summary>
public sealed class RingGrowthFactAttribute : FactAttribute
{
    public RingGrowthFactAttribute()
    {
        if (!UringProbe.Probe(flags: RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun).Available)
        {
            Skip = "growth needs IORING_SETUP_DEFER_TASKRUN, which this kernel refuses";
        }
        else if (!UringProbe.Probe().Has("IORING_REGISTER_RESIZE_RINGS"))
        {
            Skip = "growth needs IORING_REGISTER_RESIZE_RINGS (Linux 6.13), which this kernel lacks";
        }
    }
}

public sealed class RingGrowthSpecsOnOneRing() : RingGrowthSpecs(1);

public sealed class RingGrowthSpecsOnSeveralRings() : RingGrowthSpecs(SeveralRings);
