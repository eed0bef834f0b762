using System.Globalization;
using System.Net;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Uring.Actors;
using Uring.Actors.Hosting;

namespace Uring.Host;

/// <summary>
/// The host's settings, read from the <c>Uring</c> section of the configuration
/// (<c>config/appsettings.json</c>, then environment variables such as <c>Uring__Ring__Entries</c>,
/// then command-line arguments such as <c>--Uring:Services:Http:Endpoint=0.0.0.0:8080</c>). Every
/// bad value fails the start with a <see cref="HostConfigurationException"/> naming its key.
/// </summary>
/// <param name="Uring">The <c>Uring:Ring</c> and <c>Uring:Tcp</c> values, for <c>WithUring</c>.</param>
/// <param name="Echo">The echo service.</param>
/// <param name="Http">The HTTP service.</param>
/// <param name="HttpBody">The HTTP service's response body.</param>
/// <param name="HttpWorkIterations">Iterations of <see cref="Services.SimulatedWork"/> per HTTP request (0: none), for CPU-bound load tests.</param>
/// <param name="HttpHeaderTimeout">How long an HTTP request head may take from its first byte to its blank line before the connection is answered 408 and closed.</param>
/// <param name="Cluster">Whether and how the host joins an Akka.Cluster (<c>Uring:Cluster</c>), over the Uring transport.</param>
public sealed record HostConfiguration(UringOptions Uring, ServiceConfiguration Echo, ServiceConfiguration Http, string HttpBody, int HttpWorkIterations, TimeSpan HttpHeaderTimeout, ClusterConfiguration Cluster)
{
    /// <summary>Reads and checks the configuration.</summary>
    /// <exception cref="HostConfigurationException">A value is missing, malformed or out of range; the message names the key.</exception>
    public static HostConfiguration Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var uring = new UringOptions
        {
            RingCount = RingCount(configuration, "Uring:Ring:Count"),
            Entries = Int(configuration, "Uring:Ring:Entries", 1, 32768),
            CompletionQueueEntries = Int(configuration, "Uring:Ring:CompletionQueueEntries", 0, 65536),
            MaxInFlight = Int(configuration, "Uring:Ring:MaxInFlight", 0, 1 << 20),
            GrowCompletionQueueTo = Int(configuration, "Uring:Ring:GrowCompletionQueueTo", 0, 65536),
            SingleIssuer = Bool(configuration, "Uring:Ring:SingleIssuer"),
            DeferTaskrun = Bool(configuration, "Uring:Ring:DeferTaskrun"),
            DrainTimeout = Duration(configuration, "Uring:Ring:DrainTimeout"),
            ReceiveBufferSize = Int(configuration, "Uring:Tcp:ReceiveBufferSize", 1, Ring.MaxReceiveBufferSize),
            ReceiveBufferCount = Int(configuration, "Uring:Tcp:ReceiveBufferCount", 1, Ring.MaxReceiveBufferCount),
            SharedReceiveBuffers = Int(configuration, "Uring:Tcp:SharedReceiveBuffers", 0, Ring.MaxReceiveBufferCount),
            LeasedReceive = Bool(configuration, "Uring:Tcp:LeasedReceive"),
            Backlog = Int(configuration, "Uring:Tcp:Backlog", 1, 65535),
            IdleTimeout = PositiveOrInfinite(configuration, "Uring:Tcp:IdleTimeout", "to keep idle connections open"),
            RegisterTimeout = PositiveOrInfinite(configuration, "Uring:Tcp:RegisterTimeout", "to wait for a handler's Register forever"),
        };
        try
        {
            // The same checks the actor system makes at start (e.g. completion queue ≥ submission
            // queue), made now so that the program stops before anything starts.
            UringSettings.From(ConfigurationFactory.ParseString(uring.ToHocon()));
        }
        catch (ConfigurationException error)
        {
            throw new HostConfigurationException($"In the Uring section: {error.Message}", error);
        }

        return new HostConfiguration(
            uring,
            Service(configuration, "Uring:Services:Echo"),
            Service(configuration, "Uring:Services:Http"),
            configuration["Uring:Services:Http:Body"] ?? "Hello from io_uring!\n",
            Int(configuration, "Uring:Services:Http:WorkIterations", 0, 1_000_000_000) ?? 0,
            Positive(configuration, "Uring:Services:Http:HeaderTimeout") ?? Services.HttpConnection.DefaultHeaderTimeout,
            ClusterNode(configuration));
    }

    /// <summary>The <c>Uring:Cluster</c> section: off unless <c>Enabled</c>; with no seed nodes the node seeds itself.</summary>
    private static ClusterConfiguration ClusterNode(IConfiguration configuration)
    {
        var hostname = configuration["Uring:Cluster:Hostname"] is { Length: > 0 } host ? host : "127.0.0.1";
        var publicHostname = configuration["Uring:Cluster:PublicHostname"] is { Length: > 0 } publicHost ? publicHost : null;
        var port = Int(configuration, "Uring:Cluster:Port", 0, 65535) ?? 4053;
        var seeds = configuration.GetSection("Uring:Cluster:SeedNodes").GetChildren()
            .Select(seed => (Key: seed.Path, Value: seed.Value ?? string.Empty))
            .Select(seed => Akka.Actor.Address.TryParse(seed.Value, out var address) && address.Port is not null
                ? address.ToString()
                : throw new HostConfigurationException(seed.Key, seed.Value, $"an Akka address such as akka.tcp://{UringHostApplication.ActorSystemName}@127.0.0.1:4053"))
            .ToList();
        var enabled = Bool(configuration, "Uring:Cluster:Enabled") ?? false;
        if (enabled && seeds.Count == 0)
        {
            seeds.Add($"akka.tcp://{UringHostApplication.ActorSystemName}@{publicHostname ?? hostname}:{port}");
        }

        return new ClusterConfiguration(enabled, hostname, port, publicHostname, seeds);
    }

    private static ServiceConfiguration Service(IConfiguration configuration, string section) =>
        new(Bool(configuration, $"{section}:Enabled") ?? true, Endpoint(configuration, $"{section}:Endpoint"), Bool(configuration, $"{section}:OnRingLoop") ?? true);

    private static int? Int(IConfiguration configuration, string key, int minimum, int maximum) =>
        IntOr(configuration, key, minimum, maximum, $"an integer between {minimum} and {maximum}");

    private static int? IntOr(IConfiguration configuration, string key, int minimum, int maximum, string expected)
    {
        if (configuration[key] is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
        {
            throw new HostConfigurationException(key, text, expected);
        }

        return value;
    }

    /// <summary><c>auto</c> (null: one ring per CPU) or a ring count.</summary>
    private static int? RingCount(IConfiguration configuration, string key) =>
        configuration[key] is { } text && text.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? null
            : IntOr(configuration, key, 1, UringSettings.MaxRingCount, "auto (one ring per CPU), or an integer between 1 and " + UringSettings.MaxRingCount);

    private static bool? Bool(IConfiguration configuration, string key) =>
        configuration[key] is not { } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw new HostConfigurationException(key, text, "true or false");

    private static TimeSpan? Duration(IConfiguration configuration, string key) =>
        configuration[key] is not { } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero ? value
        : throw new HostConfigurationException(key, text, "a non-negative duration such as 00:00:05");

    private static TimeSpan? Positive(IConfiguration configuration, string key) =>
        configuration[key] is not { } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw new HostConfigurationException(key, text, "a positive duration such as 00:00:30");

    private static TimeSpan? PositiveOrInfinite(IConfiguration configuration, string key, string infiniteMeans) =>
        configuration[key] is not { } text ? null
        : text.Equals("infinite", StringComparison.OrdinalIgnoreCase) ? Timeout.InfiniteTimeSpan
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero ? value
        : throw new HostConfigurationException(key, text, $"a positive duration such as 00:01:00, or infinite {infiniteMeans}");

    private static IPEndPoint? Endpoint(IConfiguration configuration, string key) =>
        configuration[key] is not { } text ? null
        : IPEndPoint.TryParse(text, out var value) ? value
        : throw new HostConfigurationException(key, text, "an address and port such as 127.0.0.1:8080 or [::1]:8080 (port 0 picks a free one)");
}

/// <summary>The host as an Akka.Cluster node (<c>Uring:Cluster</c>), over the Uring transport.</summary>
/// <param name="Enabled">Whether the host joins a cluster (off: a single, local actor system).</param>
/// <param name="Hostname">The address the transport binds.</param>
/// <param name="Port">The port the transport binds.</param>
/// <param name="PublicHostname">The host other nodes reach this one by; null for <paramref name="Hostname"/>.</param>
/// <param name="SeedNodes">The seed nodes' addresses (this node itself when none are configured).</param>
public sealed record ClusterConfiguration(bool Enabled, string Hostname, int Port, string? PublicHostname, IReadOnlyList<string> SeedNodes);

/// <summary>One service's settings.</summary>
/// <param name="Enabled">Whether to run it.</param>
/// <param name="Endpoint">Where to listen; null for the service's default.</param>
/// <param name="OnRingLoop">Whether its connection handlers run on the loop thread of their
/// connection's ring (<c>uring.loop-dispatcher-N</c>) instead of Akka's default dispatcher.</param>
public sealed record ServiceConfiguration(bool Enabled, IPEndPoint? Endpoint, bool OnRingLoop = true);

/// <summary>A configuration value is bad; the message names the key, the value and what it should be.</summary>
public sealed class HostConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public HostConfigurationException(string key, string value, string expected)
        : base($"Configuration key '{key}' is '{value}'; it must be {expected}.") => Key = key;

    /// <summary>Creates the exception with a message.</summary>
    public HostConfigurationException(string message)
        : base(message) => Key = string.Empty;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public HostConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Key = string.Empty;

    /// <summary>Creates the exception with no message.</summary>
    public HostConfigurationException() => Key = string.Empty;

    /// <summary>The bad key.</summary>
    public string Key { get; }
}
