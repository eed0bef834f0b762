using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Uring.Remote.Tests;

/// <summary>
/// A peer that is not an Akka node — garbage, a length prefix over <c>maximum-frame-size</c>, a
/// frame cut off by a disconnect — loses its own association, with the reason logged, and the node
/// goes on serving every other association.
/// </summary>
public sealed class BadInputSpecs
{
    public static TheoryData<string, byte[], string?> BadStreams => new()
    {
        // Four bytes announcing a 1 GiB frame: refused at the prefix, nothing buffered.
        { "an oversize length prefix", [0x00, 0x00, 0x00, 0x40, 1, 2, 3], "maximum-frame-size" },
        // A negative length: garbage.
        { "a negative length", [0xFF, 0xFF, 0xFF, 0xFF], "maximum-frame-size" },
        // A well-formed frame whose payload is not Akka's protocol: Akka.Remote drops it.
        { "a frame of garbage", [8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], null },
    };

    [Theory]
    [MemberData(nameof(BadStreams))]
    public async Task A_peer_sending_bad_bytes_is_dropped_and_the_node_keeps_serving_others(string what, byte[] stream, string? logged)
    {
        await using var nodes = new RemoteNodes();
        var server = nodes.Start("server", """akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]""");
        var client = nodes.Start("client");
        server.ActorOf(Props.Create(() => new Echo()), "echo");
        var echo = client.ActorSelection(new RootActorPath(RemoteNodes.AddressOf(server)) / "user" / "echo");
        Assert.Equal("before", await echo.Ask<string>("before", TimeSpan.FromSeconds(10)));
        var kit = new TestKit(server);

        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var send = async () =>
        {
            await intruder.ConnectAsync(new IPEndPoint(IPAddress.Loopback, RemoteNodes.AddressOf(server).Port!.Value));
            await intruder.SendAsync(stream, SocketFlags.None);
        };
        if (logged is not null)
        {
            await kit.EventFilter.Warning(contains: logged).ExpectOneAsync(send);
        }
        else
        {
            await send();
        }

        Assert.True(await ClosedByServer(intruder), $"the node kept a connection that sent {what}");
        Assert.Equal("after", await echo.Ask<string>("after", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_peer_that_disconnects_in_the_middle_of_a_frame_is_dropped_and_the_node_keeps_serving_others()
    {
        await using var nodes = new RemoteNodes();
        var server = nodes.Start("server");
        var client = nodes.Start("client");
        server.ActorOf(Props.Create(() => new Echo()), "echo");
        var echo = client.ActorSelection(new RootActorPath(RemoteNodes.AddressOf(server)) / "user" / "echo");

        for (var i = 0; i < 20; i++)
        {
            using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await intruder.ConnectAsync(new IPEndPoint(IPAddress.Loopback, RemoteNodes.AddressOf(server).Port!.Value));
            await intruder.SendAsync(new byte[] { 0x00, 0x10, 0x00, 0x00, 1, 2, 3 }, SocketFlags.None); // 4 KiB announced, 3 bytes sent
            intruder.LingerState = new LingerOption(i % 2 == 0, 0); // half of them reset, half close
        }

        Assert.Equal("after", await echo.Ask<string>("after", TimeSpan.FromSeconds(10)));
    }

    /// <summary>True when the server closes or resets <paramref name="socket"/> within ten seconds.</summary>
    private static async Task<bool> ClosedByServer(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // Akka.Remote may answer before it gives up: read on until the end.
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
