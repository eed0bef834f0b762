using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Uring.Remote.Hosting;

namespace Uring.Remote.Tests;

/// <summary><c>WithUringRemoting</c> in Akka.Hosting, composed with Akka.Cluster.Hosting's <c>WithClustering</c>.</summary>
public sealed class HostingSpecs
{
    [Fact]
    public async Task Two_hosts_with_uring_remoting_and_clustering_form_a_cluster_over_the_uring_transport()
    {
        var seedPort = FreePort();
        var seed = $"akka.tcp://hosted@127.0.0.1:{seedPort}";
        using var first = Build(seedPort, seed);
        using var second = Build(0, seed);
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            var system = first.Services.GetRequiredService<ActorSystem>();
            await AwaitAsync(() => Cluster.Get(system).State.Members.Count(member => member.Status == MemberStatus.Up) == 2, TimeSpan.FromSeconds(30));

            Assert.Equal(["akka.remote.uring"], system.Settings.Config.GetStringList("akka.remote.enabled-transports"));
            Assert.NotNull(await system.ActorSelection("/system/uring-remote-transport-*").ResolveOne(TimeSpan.FromSeconds(5))); // the Uring transport's actor
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
        }
    }

    private static IHost Build(int port, string seed)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("hosted", akka => akka
            .AddHocon("akka.loglevel = WARNING\nuring.ring.count = 1", HoconAddMode.Prepend)
            .WithUringRemoting("127.0.0.1", port)
            .WithClustering(new ClusterOptions { SeedNodes = [seed] }));
        return builder.Build();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task AwaitAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(100);
        }
    }
}
