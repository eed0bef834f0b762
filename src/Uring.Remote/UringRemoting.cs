using Akka.Configuration;

namespace Uring.Remote;

/// <summary>
/// Akka.Remote over Uring's rings. Akka.Remote builds the transport itself, from
/// <c>akka.remote.enabled-transports = ["akka.remote.uring"]</c> and the <c>akka.remote.uring</c>
/// section, so that section must be in the actor system's configuration when it starts: put
/// <see cref="DefaultConfig"/> under yours (<c>myConfig.WithFallback(UringRemoting.DefaultConfig)</c>),
/// or use <c>WithUringRemoting(...)</c> in Akka.Hosting, which adds both.
/// </summary>
public static class UringRemoting
{
    /// <summary>The embedded <c>reference.conf</c>: the <c>akka.remote.uring</c> section and its defaults.</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>
    /// <see cref="DefaultConfig"/> with the transport enabled — Akka.Remote's DotNetty transport then
    /// stays off — and the remote provider as a fallback (a cluster provider set above wins).
    /// </summary>
    public static Config Enabled { get; } = ConfigurationFactory.ParseString("""
        akka.remote.enabled-transports = ["akka.remote.uring"]
        """).WithFallback(DefaultConfig).WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = remote"));

    private static Config LoadDefaults()
    {
        using var stream = typeof(UringRemoting).Assembly.GetManifestResourceStream("Uring.Remote.reference.conf")
            ?? throw new InvalidOperationException("The embedded reference.conf of Uring.Remote is missing.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
