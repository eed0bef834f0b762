using Akka.Actor;
using Akka.Remote;
using Akka.TestKit.Xunit2;

namespace Uring.Remote.Tests;

/// <summary>Akka.Remote over the Uring transport: several actor systems in this process, on loopback.</summary>
public sealed class RemotingSpecs
{
    [Fact]
    public async Task An_ask_to_an_actor_on_another_node_is_answered()
    {
        await using var nodes = new RemoteNodes();
        var server = nodes.Start("server");
        var client = nodes.Start("client");
        server.ActorOf(Props.Create(() => new Echo()), "echo");

        var answer = await client.ActorSelection(PathOf(server, "echo")).Ask<string>("hello", TimeSpan.FromSeconds(10));

        Assert.Equal("hello", answer);
        Assert.Equal("akka.tcp", RemoteNodes.AddressOf(server).Protocol);
    }

    [Fact]
    public async Task An_actor_deployed_on_another_node_runs_there_and_answers()
    {
        await using var nodes = new RemoteNodes();
        var target = nodes.Start("target");
        var origin = nodes.Start("origin");

        var deployed = origin.ActorOf(Props.Create(() => new WhereAmI()).WithDeploy(new Deploy(new RemoteScope(RemoteNodes.AddressOf(target)))), "deployed");
        var where = await deployed.Ask<string>("where", TimeSpan.FromSeconds(10));

        Assert.Equal(RemoteNodes.AddressOf(target).ToString(), where);
        Assert.Equal(RemoteNodes.AddressOf(target), deployed.Path.Address);
    }

    [Fact]
    public async Task Watching_an_actor_on_another_node_tells_when_it_stops()
    {
        await using var nodes = new RemoteNodes();
        var server = nodes.Start("server");
        var client = nodes.Start("client");
        var echo = server.ActorOf(Props.Create(() => new Echo()), "echo");
        var remote = await client.ActorSelection(PathOf(server, "echo")).ResolveOne(TimeSpan.FromSeconds(10));
        var watcher = new TestKit(client);
        watcher.Watch(remote);

        server.Stop(echo);

        Assert.Equal(remote, watcher.ExpectTerminated(remote, TimeSpan.FromSeconds(10)).ActorRef);
    }

    [Fact]
    public async Task A_node_that_falls_silent_is_detected_by_its_watchers_and_quarantined()
    {
        // Every frame to and from the node is dropped (Akka's throttler adapter over the Uring
        // transport, blackholing both directions), as when its machine dies: no goodbye, only silence.
        const string silenceable = """
            akka.remote.uring.applied-adapters = ["trttl"]
            akka.remote.watch-failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s, threshold = 8 }
            """;
        await using var nodes = new RemoteNodes();
        var doomed = nodes.Start("doomed", silenceable);
        var watcherSystem = nodes.Start("watcher", silenceable);
        doomed.ActorOf(Props.Create(() => new Echo()), "echo");
        var remote = await watcherSystem.ActorSelection(PathOf(doomed, "echo")).ResolveOne(TimeSpan.FromSeconds(10));
        var watcher = new TestKit(watcherSystem);
        watcher.Watch(remote);
        watcherSystem.EventStream.Subscribe(watcher.TestActor, typeof(RemotingLifecycleEvent));
        // Quarantine needs the node's UID, which the watcher learns from its first heartbeat reply;
        // without it Akka.Remote only gates the address. Give the heartbeats (every 200 ms) time,
        // with room for a machine busy running the other test projects.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var transport = ((RemoteActorRefProvider)((ExtendedActorSystem)watcherSystem).Provider).Transport;
        Assert.True(await transport.ManagementCommand(new Akka.Remote.Transport.SetThrottle(
            RemoteNodes.AddressOf(doomed), Akka.Remote.Transport.ThrottleTransportAdapter.Direction.Both, Akka.Remote.Transport.Blackhole.Instance)));

        // The remote watcher's failure detector gives up on the node: its actors are reported
        // terminated with the address, and the node is quarantined with its UID, as Akka documents
        // for a node the remote watcher finds unreachable (an association to that incarnation is
        // never made again). The two come in either order.
        Terminated? terminated = null;
        QuarantinedEvent? quarantined = null;
        watcher.FishForMessage(
            message =>
            {
                terminated ??= message as Terminated;
                quarantined ??= message as QuarantinedEvent;
                return terminated is not null && quarantined is not null;
            },
            TimeSpan.FromSeconds(30));
        Assert.Equal(remote, terminated!.ActorRef);
        Assert.True(terminated.AddressTerminated); // the node is gone, not only the actor
        Assert.Equal(remote.Path.Address, quarantined!.Address);
        Assert.Equal(AddressUidExtension.Uid(doomed), quarantined.Uid);
    }

    [Fact]
    public async Task A_million_small_messages_between_two_nodes_arrive_complete_and_in_order()
    {
        await using var nodes = new RemoteNodes();
        const int Count = 1_000_000;
        var server = nodes.Start("server");
        var client = nodes.Start("client");
        var done = new TaskCompletionSource<(int Received, int OutOfOrder)>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ActorOf(Props.Create(() => new Counter(Count, done)), "counter");
        var counter = await client.ActorSelection(PathOf(server, "counter")).ResolveOne(TimeSpan.FromSeconds(10));

        for (var i = 0; i < Count; i++)
        {
            counter.Tell(i);
        }

        var (received, outOfOrder) = await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(Count, received);
        Assert.Equal(0, outOfOrder);
    }

    [Fact]
    public async Task One_mebibyte_messages_cross_intact()
    {
        await using var nodes = new RemoteNodes();
        const string large = "akka.remote.uring.maximum-frame-size = 4MiB";
        var server = nodes.Start("server", large);
        var client = nodes.Start("client", large);
        server.ActorOf(Props.Create(() => new Echo()), "echo");
        var echo = client.ActorSelection(PathOf(server, "echo"));

        for (var i = 0; i < 8; i++)
        {
            var payload = new byte[1 << 20];
            new Random(i).NextBytes(payload);
            var back = await echo.Ask<byte[]>(payload, TimeSpan.FromSeconds(20));
            Assert.Equal(payload, back);
        }
    }

    [Fact]
    public async Task A_node_on_the_uring_transport_and_a_node_on_DotNetty_answer_each_other_for_the_frames_are_the_same()
    {
        // DotNetty frames each payload with a 4-byte little-endian length, as this transport does,
        // and Akka.Remote's protocol above is the same: a cluster can move node by node.
        await using var nodes = new RemoteNodes();
        var onUring = nodes.Start("on-uring");
        var onDotNetty = nodes.StartOnDotNetty("on-dotnetty");
        onUring.ActorOf(Props.Create(() => new Echo()), "echo");
        onDotNetty.ActorOf(Props.Create(() => new Echo()), "echo");

        var fromUring = await onUring.ActorSelection(PathOf(onDotNetty, "echo")).Ask<string>("to DotNetty", TimeSpan.FromSeconds(10));
        var fromDotNetty = await onDotNetty.ActorSelection(PathOf(onUring, "echo")).Ask<string>("to Uring", TimeSpan.FromSeconds(10));

        Assert.Equal("to DotNetty", fromUring);
        Assert.Equal("to Uring", fromDotNetty);
    }

    private static ActorPath PathOf(ActorSystem system, string name) => new RootActorPath(RemoteNodes.AddressOf(system)) / "user" / name;

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    private sealed class WhereAmI : ReceiveActor
    {
        public WhereAmI() => Receive<string>(_ => Sender.Tell(((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString()));
    }

    /// <summary>Counts integers and the ones that arrive out of order; completes when the last expected one arrives.</summary>
    private sealed class Counter : ReceiveActor
    {
        public Counter(int expected, TaskCompletionSource<(int, int)> done)
        {
            var next = 0;
            var outOfOrder = 0;
            Receive<int>(value =>
            {
                if (value != next)
                {
                    outOfOrder++;
                }

                next = value + 1;
                if (next == expected)
                {
                    done.TrySetResult((expected, outOfOrder));
                }
            });
        }
    }
}
