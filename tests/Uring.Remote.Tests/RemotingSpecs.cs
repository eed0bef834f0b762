using Akka.Actor;

namespace Uring.Remote.Tests;

/// <summary>Akka.Remote over the Uring transport: two actor systems in this process, on loopback.</summary>
public sealed class RemotingSpecs
{
    [Fact]
    public async Task An_ask_to_an_actor_on_another_node_is_answered()
    {
        await using var nodes = new RemoteNodes();
        var server = nodes.Start("server");
        var client = nodes.Start("client");
        server.ActorOf(Props.Create(() => new Echo()), "echo");

        var remote = client.ActorSelection(new RootActorPath(RemoteNodes.AddressOf(server)) / "user" / "echo");
        var answer = await remote.Ask<string>("hello", TimeSpan.FromSeconds(10));

        Assert.Equal("hello", answer);
        Assert.Equal("tcp", RemoteNodes.AddressOf(server).Protocol.Split('.')[^1]);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
