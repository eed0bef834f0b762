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
/// A TestKit spec with quiet logging and real dispatchers (never CallingThreadDispatcher: the ring
/// owners need their loop threads), on <paramref name="rings"/> rings (<c>uring.ring.count</c>).
/// A spec of UringTcp's behaviour is an abstract class taking the ring count, run by two sealed
/// classes: on one ring, and on several (<see cref="SeveralRings"/>, more than this machine's CPUs).
/// </summary>
public abstract class UringSpec(string? config = null, int rings = 1)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(config ?? string.Empty)
        .WithFallback(ConfigurationFactory.ParseString($"uring.ring.count = {rings}"))
        .WithFallback(ConfigurationFactory.ParseString(BaseConfig)))
{
    /// <summary>The ring count of the specs that run on several rings.</summary>
    public const int SeveralRings = 4;

    /// <summary>The rings this spec's actor system runs.</summary>
    protected int RingCount { get; } = rings;

    /// <summary>Every ring of the system's UringTcp extension, by index.</summary>
    protected async Task<Ring[]> AllRings() =>
        await Task.WhenAll(UringTcp.Get(Sys).RingOwners.Select(owner => owner.Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(5))));

    /// <summary>Operations in flight over every ring.</summary>
    protected static int InFlight(IEnumerable<Ring> rings) => rings.Sum(ring => ring.InFlight);

    /// <summary>
    /// Binds a fresh loopback listener through <paramref name="manager"/> with the test actor as bind
    /// handler, connects a client (no Nagle) to it, and registers <paramref name="handler"/> (the
    /// test actor when null) as the connection's handler.
    /// </summary>
    protected async Task<(Socket Client, IActorRef Connection)> ConnectAndRegister(IActorRef manager, IActorRef? handler = null)
    {
        manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var client = await Connect(endpoint);
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new Tcp.Register(handler ?? TestActor));
        return (client, connection);
    }

    /// <summary>A loopback client (no Nagle) connected to <paramref name="endpoint"/>.</summary>
    protected static async Task<Socket> Connect(EndPoint endpoint)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(endpoint);
        return client;
    }

    /// <summary>Sends <paramref name="payload"/> and expects exactly it back within 30 s.</summary>
    protected static async Task AssertEchoes(Socket client, byte[] payload)
    {
        var sending = client.SendAsync(payload, SocketFlags.None);
        var received = new byte[payload.Length];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (total < payload.Length)
        {
            var read = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.True(read > 0, $"the server closed after {total} of {payload.Length} bytes");
            total += read;
        }

        await sending;
        Assert.Equal(payload, received);
    }

    private const string BaseConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.timefactor = 2
        """;
}
