using Akka.Configuration;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

/// <summary>Keys under <c>uring</c> that no setting reads are named at start with the nearest known key, not silently ignored.</summary>
public sealed class UnknownSettingsSpecs
{
    [Theory]
    [InlineData("ring.cuont = 2", "uring.ring.cuont", "uring.ring.count")]
    [InlineData("tcp.idle-timout = 1s", "uring.tcp.idle-timout", "uring.tcp.idle-timeout")]
    [InlineData("tcp.leased-recieve = on", "uring.tcp.leased-recieve", "uring.tcp.leased-receive")]
    [InlineData("ring.backlog = 64", "uring.ring.backlog", "uring.tcp.backlog")]
    [InlineData("rings.count = 2", "uring.rings.count", "uring.ring.count")]
    public void An_unknown_key_is_reported_with_the_nearest_known_key(string setting, string key, string nearest)
    {
        var unknown = UnknownSettings.In(ConfigurationFactory.ParseString($"uring.{setting}").WithFallback(UringSettings.DefaultConfig));

        Assert.Equal([(key, nearest)], unknown);
    }

    [Theory]
    [InlineData("ring.count = 2")]
    [InlineData("tcp.idle-timeout = 1s")]
    [InlineData("loop-dispatcher.throughput-deadline-time = 1ms")]
    [InlineData("owner-dispatcher.shutdown-timeout = 2s")]
    public void Known_keys_and_dispatcher_settings_are_not_reported(string setting)
    {
        Assert.Empty(UnknownSettings.In(ConfigurationFactory.ParseString($"uring.{setting}")));
    }
}

/// <summary>The start warns once per unknown key, in the log, beside the one line of settings in effect.</summary>
public sealed class UnknownSettingsAtStartSpecs() : UringSpec("uring.ring.cuont = 2\nuring.tcp.idle-timout = 1s\nakka.loglevel = INFO")
{
    [Fact]
    public void The_extension_warns_once_for_each_unknown_key_naming_the_nearest_and_logs_the_settings_in_effect()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Akka.Event.LogEvent));

        UringTcp.Get(Sys);

        var lines = ReceiveWhile(TimeSpan.FromSeconds(3), message => message is Akka.Event.LogEvent log ? (log.LogLevel(), log.Message.ToString()!) : default)
            .Where(line => line.Item2 is not null).ToList();
        Assert.Single(lines, line => line.Item1 == Akka.Event.LogLevel.WarningLevel && line.Item2.Contains("uring.ring.cuont is ignored", StringComparison.Ordinal) && line.Item2.EndsWith("Did you mean uring.ring.count?", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Item1 == Akka.Event.LogLevel.WarningLevel && line.Item2.Contains("uring.tcp.idle-timout is ignored", StringComparison.Ordinal) && line.Item2.EndsWith("Did you mean uring.tcp.idle-timeout?", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Item1 == Akka.Event.LogLevel.InfoLevel && line.Item2.Contains("uring settings in effect: ring.count = 1,", StringComparison.Ordinal));
    }
}
