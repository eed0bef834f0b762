using System.Globalization;
using System.Text;

namespace Uring.Remote.Hosting;

/// <summary>
/// Options for <see cref="AkkaUringRemotingHostingExtensions.WithUringRemoting(Akka.Hosting.AkkaConfigurationBuilder, UringRemotingOptions)"/>:
/// the <c>akka.remote.uring</c> keys; null keeps the embedded default.
/// </summary>
public sealed class UringRemotingOptions
{
    /// <summary><c>hostname</c>: the address to bind ("" or null: every interface).</summary>
    public string? Hostname { get; set; }

    /// <summary><c>port</c>: the port to bind (0 picks a free one).</summary>
    public int? Port { get; set; }

    /// <summary><c>public-hostname</c>: the host other nodes reach this one by.</summary>
    public string? PublicHostname { get; set; }

    /// <summary><c>public-port</c>: the port other nodes reach this one by.</summary>
    public int? PublicPort { get; set; }

    /// <summary><c>maximum-frame-size</c>, in bytes: the largest payload sent or accepted.</summary>
    public long? MaximumFrameSize { get; set; }

    /// <summary><c>send-buffer-size</c>, in bytes (0: the kernel's default).</summary>
    public long? SendBufferSize { get; set; }

    /// <summary><c>receive-buffer-size</c>, in bytes (0: the kernel's default).</summary>
    public long? ReceiveBufferSize { get; set; }

    /// <summary><c>connection-timeout</c>: how long an outbound association may take to connect.</summary>
    public TimeSpan? ConnectionTimeout { get; set; }

    /// <summary>The HOCON for the properties that are set, with the transport enabled.</summary>
    public string ToHocon()
    {
        var hocon = new StringBuilder("akka.remote.enabled-transports = [\"akka.remote.uring\"]\n");
        Append(hocon, "hostname", Hostname is null ? null : Quote(Hostname));
        Append(hocon, "port", Port);
        Append(hocon, "public-hostname", PublicHostname is null ? null : Quote(PublicHostname));
        Append(hocon, "public-port", PublicPort);
        Append(hocon, "maximum-frame-size", MaximumFrameSize is { } frame ? $"{frame}b" : null);
        Append(hocon, "send-buffer-size", SendBufferSize is { } send ? $"{send}b" : null);
        Append(hocon, "receive-buffer-size", ReceiveBufferSize is { } receive ? $"{receive}b" : null);
        Append(hocon, "connection-timeout", ConnectionTimeout is { } timeout ? $"{(long)timeout.TotalMilliseconds}ms" : null);
        return hocon.ToString();
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static void Append(StringBuilder hocon, string key, object? value)
    {
        if (value is not null)
        {
            hocon.Append(UringTransportSettings.Path).Append('.').Append(key).Append(" = ").AppendLine(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
