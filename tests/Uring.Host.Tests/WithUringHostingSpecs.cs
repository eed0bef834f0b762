using Akka.Actor;
using Akka.Hosting;
using Uring.Actors;
using Uring.Actors.Hosting;
using Uring.Actors.Protocol;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Tests;

/// <summary>The <c>WithUring</c> wiring, through Akka.Hosting.TestKit.</summary>
public sealed class WithUringHostingSpecs : Akka.Hosting.TestKit.TestKit
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithUring(options =>
        {
            options.Entries = 64;
            options.MaxInFlight = 100;
            options.ReceiveBufferSize = 4096;
        });

    [Fact]
    public void The_options_override_the_reference_conf_and_unset_keys_keep_its_defaults()
    {
        var config = Sys.Settings.Config;

        Assert.Equal(64, config.GetInt("uring.ring.entries"));
        Assert.Equal(100, config.GetInt("uring.ring.max-in-flight"));
        Assert.Equal(4096, config.GetInt("uring.tcp.receive-buffer-size"));
        Assert.Equal(16, config.GetInt("uring.tcp.receive-buffer-count"));
        Assert.Equal(512, config.GetInt("uring.tcp.backlog"));
    }

    [Fact]
    public async Task The_ring_owner_is_in_the_registry_and_answers_with_its_ring()
    {
        var owner = await ActorRegistry.GetAsync<RingOwnerActor>();

        var ring = await owner.Ask<Ring>(RingProtocol.GetRing.Instance, TimeSpan.FromSeconds(10));

        Assert.Equal(64, ring.SqEntries);
        Assert.False(ring.IsClosed);
    }

    [Fact]
    public async Task The_tcp_manager_from_the_registry_binds_and_carries_a_connection()
    {
        var manager = await ActorRegistry.GetAsync<UringTcpManager>();

        manager.Tell(new AkkaTcp.Bind(TestActor, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)));
        var bound = await ExpectMsgAsync<AkkaTcp.Bound>(TimeSpan.FromSeconds(10));

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync((System.Net.IPEndPoint)bound.LocalAddress);
        await ExpectMsgAsync<AkkaTcp.Connected>(TimeSpan.FromSeconds(10));
        var connection = LastSender;
        connection.Tell(new AkkaTcp.Register(TestActor));
        await client.GetStream().WriteAsync("hello"u8.ToArray());

        var received = await ExpectMsgAsync<AkkaTcp.Received>(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", received.Data.ToString());
    }
}
