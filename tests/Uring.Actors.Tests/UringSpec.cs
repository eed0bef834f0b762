using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>A TestKit spec with quiet logging and real dispatchers (never CallingThreadDispatcher: the ring owner needs its pinned thread).</summary>
public abstract class UringSpec : Akka.TestKit.Xunit2.TestKit
{
    protected UringSpec(string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? string.Empty).WithFallback(ConfigurationFactory.ParseString(BaseConfig)))
    {
    }

    /// <summary>
    /// Binds a fresh loopback listener through <paramref name="manager"/> with the test actor as bind
    /// handler, connects a client (no Nagle) to it, and registers <paramref name="handler"/> (the
    /// test actor when null) as the connection's handler.
    /// </summary>
    protected async Task<(Socket Client, IActorRef Connection)> ConnectAndRegister(IActorRef manager, IActorRef? handler = null)
    {
        manager.Tell(new Tcp.Bind(TestActor, new IPEndPoint(IPAddress.Loopback, 0)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(endpoint);
        ExpectMsg<Tcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new Tcp.Register(handler ?? TestActor));
        return (client, connection);
    }

    private const string BaseConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.timefactor = 2
        """;
}
