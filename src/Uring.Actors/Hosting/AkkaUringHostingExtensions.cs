using Akka.Configuration;
using Akka.Hosting;
using Uring.Actors.Tcp;

namespace Uring.Actors.Hosting;

/// <summary>
/// Akka.Hosting wiring for Uring: <c>WithUring(...)</c> adds the configuration (yours over the
/// embedded reference.conf), starts the ring owner and the TCP manager, and registers both in the
/// <see cref="ActorRegistry"/>: inject <c>IRequiredActor&lt;RingOwnerActor&gt;</c> or
/// <c>IRequiredActor&lt;UringTcpManager&gt;</c>.
/// <para>A service loaded from its first second should also set
/// <c>&lt;TieredCompilation&gt;false&lt;/TieredCompilation&gt;</c> in its project: under load from
/// the start, .NET's default keeps the hot path in tier-0 code for seconds (about 12 % more CPU per
/// light request, up to 1.8× on a saturated CPU), for ~0.7 s more at start (docs/actors.md, "CPU-heavy
/// handlers and tiered compilation"; figures in docs/performance.md).</para>
/// </summary>
public static class AkkaUringHostingExtensions
{
    /// <summary>Adds Uring with the given values; null keeps the reference.conf default.</summary>
    public static AkkaConfigurationBuilder WithUring(this AkkaConfigurationBuilder builder, int? entries = null, int? maxInFlight = null) =>
        builder.WithUring(new UringOptions { Entries = entries, MaxInFlight = maxInFlight });

    /// <summary>Adds Uring, configured by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithUring(this AkkaConfigurationBuilder builder, Action<UringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new UringOptions();
        configure(options);
        return builder.WithUring(options);
    }

    /// <summary>Adds Uring with <paramref name="options"/>.</summary>
    /// <exception cref="ConfigurationException">At actor system start, when a value is out of range (the message names the key).</exception>
    public static AkkaConfigurationBuilder WithUring(this AkkaConfigurationBuilder builder, UringOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .AddHocon(ConfigurationFactory.ParseString(options.ToHocon()), HoconAddMode.Prepend)
            .AddHocon(UringSettings.DefaultConfig, HoconAddMode.Append)
            .WithActors((system, registry) =>
            {
                var uring = UringTcp.Get(system);
                registry.Register<RingOwnerActor>(uring.RingOwner);
                registry.Register<UringTcpManager>(uring.Manager);
            });
    }
}

/// <summary>The registry key of the UringTcp manager: inject <c>IRequiredActor&lt;UringTcpManager&gt;</c>.</summary>
public sealed class UringTcpManager
{
    private UringTcpManager()
    {
    }
}
