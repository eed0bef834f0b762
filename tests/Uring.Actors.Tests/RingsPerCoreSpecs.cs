using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Uring.Actors.Protocol;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Several rings in one actor system (<c>uring.ring.count</c>, here more than this machine's CPUs):
/// each connection is placed on the ring with the fewest and lives there; every ring is its own
/// SINGLE_ISSUER ring on its own loop thread; one ring's failure leaves the others alone.
/// </summary>
public abstract class RingsPerCoreSpecs(int rings, string? config = null) : UringSpec(config, rings)
{
    private UringTcpExtension Uring => UringTcp.Get(Sys);

    [Fact]
    public async Task Connections_land_on_every_ring_and_no_ring_holds_more_than_its_share()
    {
        var (endpoint, _) = await StartEchoServer();
        var perRing = 16;
        var clients = await Task.WhenAll(Enumerable.Range(0, perRing * RingCount).Select(_ => Connect(endpoint)));
        try
        {
            await Task.WhenAll(clients.Select(client => AssertEchoes(client, [1, 2, 3])));

            Assert.All(Uring.Rings, ring => Assert.Equal(perRing, ring.Connections));
            var inFlight = (await AllRings()).Select(ring => ring.InFlight).ToList();
            Assert.All(inFlight, operations => Assert.InRange(operations, perRing, perRing + 1)); // each connection's receive, and one ring's accept
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }

        await AwaitAssertAsync(() => Assert.All(Uring.Rings, ring => Assert.Equal(0, ring.Connections)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_outgoing_connect_goes_to_the_ring_with_the_fewest_connections()
    {
        var (_, connection) = await ConnectAndRegister(Uring.Manager);
        var busy = Uring.RingOf(connection);
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(4);

        Uring.Manager.Tell(new Tcp.Connect(server.LocalEndPoint!));
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));

        Assert.NotEqual(busy, Uring.RingOf(LastSender));
        Assert.Same(Uring.RingOwners[Uring.RingOf(LastSender)], Uring.RingOwnerOf(LastSender));
    }

    [Fact]
    public async Task Every_ring_refuses_a_submit_from_a_foreign_thread_before_the_kernel_and_takes_it_from_its_owner()
    {
        var rings = await AllRings();

        Assert.Equal(RingCount, rings.Distinct().Count());
        foreach (var (ring, owner) in rings.Zip(Uring.RingOwners))
        {
            Assert.True(ring.Flags.HasFlag(RingSetupFlags.SingleIssuer));
            var refused = Assert.Throws<InvalidOperationException>(() => ring.SubmitNop("from the test thread"));
            Assert.Contains("SingleIssuer", refused.Message, StringComparison.Ordinal);

            owner.Tell(new RingProtocol.Submit((r, userData) => r.SubmitNop(userData), ring.Name));
            Assert.Equal(ring.Name, ExpectMsg<RingProtocol.Completed>(TimeSpan.FromSeconds(5)).Tag);
        }
    }

    [Fact]
    public async Task A_failing_ring_restarts_alone_closing_its_own_connections_while_the_other_rings_keep_serving()
    {
        var (endpoint, _) = await StartEchoServer();
        var clients = (await Task.WhenAll(Enumerable.Range(0, 2 * RingCount).Select(_ => Connect(endpoint)))).ToList();
        try
        {
            await Task.WhenAll(clients.Select(client => AssertEchoes(client, [1])));
            for (var failing = 0; failing < RingCount; failing++)
            {
                var before = await OwnersRing(failing);
                Uring.RingOwners[failing].Tell(new RingLoop.Failed(new InvalidOperationException("injected by the spec")));

                // Its two connections close; every other one still echoes. (A fresh connection after an
                // earlier failure went to the ring that failed then: it had the fewest.)
                var closed = await Task.WhenAll(clients.Select(IsClosedByServer));
                Assert.Equal(2, closed.Count(c => c));
                foreach (var client in clients.Where((_, i) => closed[i]).ToList())
                {
                    client.Dispose();
                    clients.Remove(client);
                }

                await Task.WhenAll(clients.Select(client => AssertEchoes(client, [2, 3])));

                // The ring is new, single-issuer as before, and the listener still accepts (onto it: it has the fewest).
                var after = await OwnersRing(failing);
                Assert.NotSame(before, after);
                Assert.True(before.IsClosed);
                Assert.True(after.Flags.HasFlag(RingSetupFlags.SingleIssuer));
                var fresh = await Connect(endpoint);
                clients.Add(fresh);
                await AssertEchoes(fresh, [4, 5, 6]);
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task Connections_are_counted_per_ring_and_in_total_on_the_uring_meter()
    {
        var perRing = new ConcurrentDictionary<string, long>();
        long total = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UringMetrics.MeterName && instrument.Name is "uring.ring.connections" or "uring.tcp.connections")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "uring.tcp.connections")
            {
                total = value;
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Key == "ring")
                {
                    perRing[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        var (endpoint, _) = await StartEchoServer();
        var clients = await Task.WhenAll(Enumerable.Range(0, 2 * RingCount).Select(_ => Connect(endpoint)));
        try
        {
            await Task.WhenAll(clients.Select(client => AssertEchoes(client, [1])));

            listener.RecordObservableInstruments();

            // Other specs run alongside (their rings carry the same index tags): these are lower bounds.
            Assert.All(Enumerable.Range(0, RingCount), ring => Assert.True(perRing.GetValueOrDefault(ring.ToString(System.Globalization.CultureInfo.InvariantCulture)) >= 2));
            Assert.True(total >= 2 * RingCount);
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    /// <summary>A bound echo server (the test actor hears Bound and each connection's end).</summary>
    protected async Task<(EndPoint Endpoint, IActorRef Server)> StartEchoServer()
    {
        var server = Sys.ActorOf(Props.Create(() => new EchoServer(Uring.Manager, TestActor, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        await Task.CompletedTask;
        return (endpoint, server);
    }

    protected Task<Ring> OwnersRing(int ring) => Uring.RingOwners[ring].Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(5));

    /// <summary>
    /// True when the server closed or reset <paramref name="client"/> within two seconds; false when
    /// it stays open. Nothing is sent meanwhile, so a socket that turns readable has reached its end.
    /// (It polls rather than reads: a read abandoned at the timeout would take the next echo's bytes.)
    /// </summary>
    protected static Task<bool> IsClosedByServer(Socket client) => Task.Run(() => client.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead));
}

public sealed class RingsPerCoreSpecsOnTwoRings() : RingsPerCoreSpecs(2);

public sealed class RingsPerCoreSpecsOnSeveralRings() : RingsPerCoreSpecs(SeveralRings);

/// <summary>
/// The same specs with rings that cannot hand their operations' final completions over in time
/// (here: no time at all). A failing ring then tells the actors that had operations on it instead
/// (<see cref="RingRestarted"/>): its connections close, and a listener on it accepts again on the
/// new ring — which the failure spec checks for every ring in turn, the listener's included.
/// </summary>
public sealed class RingsThatCannotDrainSpecs() : RingsPerCoreSpecs(SeveralRings, "uring.ring.drain-timeout = 0s\nakka.loglevel = OFF");

/// <summary><c>uring.ring.count</c>: <c>auto</c> is one ring per CPU; a bad value names the key.</summary>
public sealed class RingCountSettingsSpecs
{
    [Fact]
    public void Auto_runs_one_ring_per_cpu_the_process_may_use_and_is_the_default()
    {
        Assert.Equal(Environment.ProcessorCount, UringSettings.From(ConfigurationFactory.Empty).RingCount);
        Assert.Equal(Environment.ProcessorCount, UringSettings.From(ConfigurationFactory.ParseString("uring.ring.count = auto")).RingCount);
        Assert.Equal(3, UringSettings.From(ConfigurationFactory.ParseString("uring.ring.count = 3")).RingCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1025")]
    [InlineData("many")]
    [InlineData("2.5")]
    public void A_bad_ring_count_is_refused_naming_the_key_and_what_it_takes(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => UringSettings.From(ConfigurationFactory.ParseString($"uring.ring.count = \"{value}\"")));

        Assert.Contains("uring.ring.count", error.Message, StringComparison.Ordinal);
        Assert.Contains("auto", error.Message, StringComparison.Ordinal);
    }
}
