using System.Net;
using Akka.Configuration;

namespace Uring.Remote;

/// <summary>The <c>akka.remote.uring</c> section (defaults in the embedded <c>reference.conf</c>), read once per transport.</summary>
/// <param name="Hostname">Where to bind (<c>hostname</c>; "" becomes 0.0.0.0).</param>
/// <param name="PublicHostname">The host other nodes use (<c>public-hostname</c>; "" means <paramref name="Hostname"/>).</param>
/// <param name="Port">Where to bind (<c>port</c>; 0 picks one).</param>
/// <param name="PublicPort">The port other nodes use (<c>public-port</c>; null means the bound one).</param>
/// <param name="MaximumFrameSize">The largest payload sent or accepted (<c>maximum-frame-size</c>).</param>
/// <param name="SendBufferSize">SO_SNDBUF of each association (<c>send-buffer-size</c>; 0 for the kernel's default).</param>
/// <param name="ReceiveBufferSize">SO_RCVBUF of each association (<c>receive-buffer-size</c>; 0 for the kernel's default).</param>
/// <param name="Backlog">The listen backlog (<c>backlog</c>).</param>
/// <param name="ConnectionTimeout">How long an outbound association may take to connect (<c>connection-timeout</c>).</param>
public sealed record UringTransportSettings(
    string Hostname,
    string PublicHostname,
    int Port,
    int? PublicPort,
    int MaximumFrameSize,
    int SendBufferSize,
    int ReceiveBufferSize,
    int Backlog,
    TimeSpan ConnectionTimeout)
{
    /// <summary>The configuration path of the transport's section.</summary>
    public const string Path = "akka.remote.uring";

    /// <summary>Reads <paramref name="config"/> (the section itself), with the embedded defaults beneath it.</summary>
    /// <exception cref="ConfigurationException">A value is out of range; the message names the key.</exception>
    public static UringTransportSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.WithFallback(UringRemoting.DefaultConfig.GetConfig(Path));
        var hostname = section.GetString("hostname", string.Empty) is { Length: > 0 } host ? host : IPAddress.Any.ToString();
        var publicHostname = section.GetString("public-hostname", string.Empty) is { Length: > 0 } publicHost ? publicHost : hostname;
        var publicPort = section.GetInt("public-port");
        Require(publicPort is >= 0 and <= 65535, "public-port", publicPort, "0 (the bound port) or between 1 and 65535");
        var settings = new UringTransportSettings(
            hostname,
            publicHostname,
            section.GetInt("port"),
            publicPort > 0 ? publicPort : null,
            Bytes(section, "maximum-frame-size"),
            Bytes(section, "send-buffer-size"),
            Bytes(section, "receive-buffer-size"),
            section.GetInt("backlog"),
            section.GetTimeSpan("connection-timeout"));
        Require(settings.Port is >= 0 and <= 65535, "port", settings.Port, "between 0 (any free port) and 65535");
        Require(settings.MaximumFrameSize >= 32000, "maximum-frame-size", settings.MaximumFrameSize, "at least 32000b, as Akka.Remote requires");
        Require(settings.SendBufferSize >= 0, "send-buffer-size", settings.SendBufferSize, "0 (the kernel's default) or more");
        Require(settings.ReceiveBufferSize >= 0, "receive-buffer-size", settings.ReceiveBufferSize, "0 (the kernel's default) or more");
        Require(settings.Backlog >= 1, "backlog", settings.Backlog, "at least 1");
        Require(settings.ConnectionTimeout > TimeSpan.Zero, "connection-timeout", settings.ConnectionTimeout, "positive");
        return settings;
    }

    private static int Bytes(Config section, string key)
    {
        var bytes = section.GetByteSize(key) ?? 0;
        Require(bytes <= int.MaxValue, key, bytes, $"at most {int.MaxValue} bytes");
        return (int)bytes;
    }

    private static void Require(bool valid, string key, object value, string expected)
    {
        if (!valid)
        {
            throw new ConfigurationException($"Configuration key '{Path}.{key}' is {value}; it must be {expected}.");
        }
    }
}
