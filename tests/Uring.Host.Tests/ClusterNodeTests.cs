using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

/// <summary>The host as an Akka.Cluster node (<c>Uring:Cluster</c>), as docs/cluster.md runs two of them on one machine.</summary>
public sealed class ClusterNodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_hosts_configured_as_cluster_nodes_form_one_cluster_over_the_uring_transport_and_keep_their_services()
    {
        var (firstPort, secondPort) = (FreePort(), FreePort());
        var seed = $"--Uring:Cluster:SeedNodes:0=akka.tcp://{UringHostApplication.ActorSystemName}@127.0.0.1:{firstPort}";
        await using var first = await RunningHost.StartAsync("--Uring:Cluster:Enabled=true", $"--Uring:Cluster:Port={firstPort}", seed);
        await using var second = await RunningHost.StartAsync("--Uring:Cluster:Enabled=true", $"--Uring:Cluster:Port={secondPort}", seed);

        foreach (var host in new[] { first, second })
        {
            var cluster = Cluster.Get(host.Host.Services.GetRequiredService<ActorSystem>());
            await WaitUntil(() => cluster.State.Members.Count(member => member.Status == MemberStatus.Up) == 2);
            Assert.Equal("akka.tcp", cluster.SelfAddress.Protocol);
            Assert.Contains(cluster.State.Members, member => member.Address.Port == firstPort);
            Assert.Contains(cluster.State.Members, member => member.Address.Port == secondPort);
            await EchoesThroughItsService(host);
        }
    }

    [Fact]
    public async Task A_host_without_cluster_configuration_is_a_local_actor_system()
    {
        await using var host = await RunningHost.StartAsync();

        var system = (ExtendedActorSystem)host.Host.Services.GetRequiredService<ActorSystem>();

        Assert.IsType<LocalActorRefProvider>(system.Provider);
    }

    private static async Task EchoesThroughItsService(RunningHost host)
    {
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(await host.EndpointOf("echo"));
        await client.SendAsync("ping"u8.ToArray());
        var received = new byte[4];
        var count = 0;
        while (count < received.Length)
        {
            count += await client.ReceiveAsync(received.AsMemory(count));
        }

        Assert.Equal("ping"u8.ToArray(), received);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the cluster did not form in time");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
