using Akka.Configuration;
using Akka.Hosting;

namespace Uring.Remote.Hosting;

/// <summary>
/// Akka.Hosting wiring for the Uring transport: <c>WithUringRemoting(...)</c> turns Akka.Remote on
/// over Uring's rings instead of DotNetty. It composes with Akka.Cluster.Hosting's
/// <c>WithClustering</c>, whose cluster provider then wins over the remote provider set here as a
/// fallback; do not also call <c>WithRemoting</c>, which configures DotNetty. Rings and connections
/// follow the <c>uring</c> section (<c>WithUring</c> from Uring.Actors, or its defaults).
/// </summary>
public static class AkkaUringRemotingHostingExtensions
{
    /// <summary>Enables the Uring transport, bound to <paramref name="hostname"/>:<paramref name="port"/>.</summary>
    public static AkkaConfigurationBuilder WithUringRemoting(this AkkaConfigurationBuilder builder, string hostname = "localhost", int port = 0, string? publicHostname = null, int? publicPort = null) =>
        builder.WithUringRemoting(new UringRemotingOptions { Hostname = hostname, Port = port, PublicHostname = publicHostname, PublicPort = publicPort });

    /// <summary>Enables the Uring transport, configured by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithUringRemoting(this AkkaConfigurationBuilder builder, Action<UringRemotingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new UringRemotingOptions();
        configure(options);
        return builder.WithUringRemoting(options);
    }

    /// <summary>Enables the Uring transport with <paramref name="options"/>.</summary>
    /// <exception cref="ConfigurationException">At actor system start, when a value is out of range (the message names the key).</exception>
    public static AkkaConfigurationBuilder WithUringRemoting(this AkkaConfigurationBuilder builder, UringRemotingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .AddHocon(ConfigurationFactory.ParseString(options.ToHocon()), HoconAddMode.Prepend)
            .AddHocon(UringRemoting.DefaultConfig, HoconAddMode.Append)
            .AddHocon(ConfigurationFactory.ParseString("akka.actor.provider = remote"), HoconAddMode.Append);
    }
}
