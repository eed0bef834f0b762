using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;

namespace Uring.Remote.Tests;

/// <summary>Akka.Cluster over the Uring transport: three nodes in this process, on loopback.</summary>
public sealed class ClusterSpecs
{
    private const string ClusterConfig = """
        akka.actor.provider = cluster
        akka.cluster {
          min-nr-of-members = 1
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          unreachable-nodes-reaper-interval = 200ms
          failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 2s }
          downing-provider-class = ""
        }
        akka.cluster.sharding.state-store-mode = ddata
        """;

    [Fact]
    public async Task Three_nodes_form_a_cluster_one_leaves_gracefully_and_another_is_downed()
    {
        await using var nodes = new RemoteNodes();
        var (first, second, third) = (nodes.Start("cluster", ClusterConfig), nodes.Start("cluster", ClusterConfig), nodes.Start("cluster", ClusterConfig));
        var seed = RemoteNodes.AddressOf(first);
        var observer = new TestKit(first);
        Cluster.Get(first).Subscribe(observer.TestActor, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

        foreach (var node in new[] { first, second, third })
        {
            Cluster.Get(node).Join(seed);
        }

        var up = Enumerable.Range(0, 3).Select(_ => observer.ExpectMsg<ClusterEvent.MemberUp>(TimeSpan.FromSeconds(30)).Member.Address).ToHashSet();
        Assert.Equal(new[] { first, second, third }.Select(RemoteNodes.AddressOf).ToHashSet(), up);

        // A graceful leave: the member goes through Leaving and Exiting to Removed, and its system stops.
        Cluster.Get(second).Leave(RemoteNodes.AddressOf(second));
        Assert.Equal(RemoteNodes.AddressOf(second), observer.FishForMessage<ClusterEvent.MemberRemoved>(_ => true, TimeSpan.FromSeconds(30)).Member.Address);
        await second.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));

        // Downing: the third is marked down by the first, and removed.
        Cluster.Get(first).Down(RemoteNodes.AddressOf(third));
        var removed = observer.FishForMessage<ClusterEvent.MemberRemoved>(_ => true, TimeSpan.FromSeconds(30));
        Assert.Equal(RemoteNodes.AddressOf(third), removed.Member.Address);
        Assert.Equal(MemberStatus.Down, removed.PreviousStatus);
        Assert.Single(Cluster.Get(first).State.Members);
    }

    [Fact]
    public async Task Sharded_entities_are_reachable_from_every_node()
    {
        await using var nodes = new RemoteNodes();
        var systems = new[] { nodes.Start("sharded", ClusterConfig), nodes.Start("sharded", ClusterConfig), nodes.Start("sharded", ClusterConfig) };
        var seed = RemoteNodes.AddressOf(systems[0]);
        var observer = new TestKit(systems[0]);
        Cluster.Get(systems[0]).Subscribe(observer.TestActor, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
        foreach (var system in systems)
        {
            Cluster.Get(system).Join(seed);
        }

        observer.ReceiveN(3, TimeSpan.FromSeconds(30));
        var regions = await Task.WhenAll(systems.Select(system => ClusterSharding.Get(system).StartAsync(
            "entity", _ => Props.Create(() => new Entity()), ClusterShardingSettings.Create(system), new Extractor())));

        // Each entity answers with the node it lives on; every node reaches every entity.
        var homes = new Dictionary<string, string>();
        foreach (var (region, node) in regions.Select((region, node) => (region, node)))
        {
            for (var id = 0; id < 30; id++)
            {
                var home = await region.Ask<string>(new Envelope($"entity-{id}"), TimeSpan.FromSeconds(20));
                if (homes.TryGetValue($"entity-{id}", out var earlier))
                {
                    Assert.Equal(earlier, home); // the same entity, wherever it is asked from
                }
                else
                {
                    homes[$"entity-{id}"] = home;
                }
            }
        }

        Assert.True(homes.Values.Distinct().Count() >= 2, "the entities all landed on one node");
    }

    private sealed record Envelope(string Id);

    private sealed class Extractor : HashCodeMessageExtractor
    {
        public Extractor()
            : base(10)
        {
        }

        public override string EntityId(object message) => ((Envelope)message).Id;
    }

    private sealed class Entity : ReceiveActor
    {
        public Entity() => Receive<Envelope>(_ => Sender.Tell(Cluster.Get(Context.System).SelfAddress.ToString()));
    }
}
