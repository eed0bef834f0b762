using Akka.Configuration;

namespace Uring.Remote.Tests;

/// <summary>The <c>akka.remote.uring</c> section: documented defaults, and bad values refused by key.</summary>
public sealed class SettingsSpecs
{
    [Fact]
    public void The_defaults_bind_every_interface_on_2552_with_dotnettys_frame_limit()
    {
        var settings = UringTransportSettings.From(ConfigurationFactory.Empty);

        Assert.Equal("0.0.0.0", settings.Hostname);
        Assert.Equal("0.0.0.0", settings.PublicHostname);
        Assert.Equal(2552, settings.Port);
        Assert.Null(settings.PublicPort);
        Assert.Equal(128000, settings.MaximumFrameSize);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.ConnectionTimeout);
    }

    [Theory]
    [InlineData("port = 70000", "port")]
    [InlineData("public-port = -1", "public-port")]
    [InlineData("maximum-frame-size = 1000b", "maximum-frame-size")]
    [InlineData("send-buffer-size = 3GiB", "send-buffer-size")]
    [InlineData("backlog = 0", "backlog")]
    [InlineData("connection-timeout = 0s", "connection-timeout")]
    public void A_bad_value_is_refused_naming_its_key(string hocon, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => UringTransportSettings.From(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains($"'akka.remote.uring.{key}'", error.Message, StringComparison.Ordinal);
    }
}
