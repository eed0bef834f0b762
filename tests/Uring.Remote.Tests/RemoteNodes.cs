using Akka.Actor;
using Akka.Configuration;

namespace Uring.Remote.Tests;

/// <summary>Actor systems that talk over the Uring transport on loopback, each on a free port, stopped with the test.</summary>
public sealed class RemoteNodes : IAsyncDisposable
{
    private readonly List<ActorSystem> _systems = [];

    /// <summary>The configuration every node starts from: the Uring transport on 127.0.0.1, a free port, two rings.</summary>
    public static Config NodeConfig(string? extra = null) =>
        ConfigurationFactory.ParseString(extra ?? string.Empty)
            .WithFallback(ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.remote.uring { hostname = 127.0.0.1, port = 0 }
                uring.ring.count = 2
                """))
            .WithFallback(UringRemoting.Enabled);

    /// <summary>Starts a node named <paramref name="name"/>.</summary>
    public ActorSystem Start(string name, string? extra = null)
    {
        var system = ActorSystem.Create(name, NodeConfig(extra));
        _systems.Add(system);
        return system;
    }

    /// <summary>Starts a node named <paramref name="name"/> on Akka.Remote's own DotNetty transport, on 127.0.0.1 and a free port.</summary>
    public ActorSystem StartOnDotNetty(string name)
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """));
        _systems.Add(system);
        return system;
    }

    /// <summary>The address <paramref name="system"/> listens on.</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_systems.Select(system => system.Terminate().WaitAsync(TimeSpan.FromSeconds(30))));
    }
}
