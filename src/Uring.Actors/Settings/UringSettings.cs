using Akka.Configuration;

namespace Uring.Actors;

/// <summary>The <c>uring</c> configuration section, read once (defaults in the embedded <c>reference.conf</c>).</summary>
public sealed record UringSettings
{
    /// <summary>The configuration path of the ring owner's dispatcher: a ring loop per owner (<see cref="RingLoopDispatcherConfigurator"/>).</summary>
    public const string OwnerDispatcher = "uring.owner-dispatcher";

    /// <summary>
    /// The configuration path of the dispatcher that runs actors on the ring owner's loop thread
    /// (<see cref="RingLoopSharingDispatcherConfigurator"/>): <c>props.WithDispatcher(UringSettings.LoopDispatcher)</c>
    /// for handlers that never block.
    /// </summary>
    public const string LoopDispatcher = "uring.loop-dispatcher";

    /// <summary>The most rings <c>uring.ring.count</c> accepts.</summary>
    public const int MaxRingCount = 1024;

    /// <summary>
    /// Rings the extension runs (<c>uring.ring.count</c>): each with its own loop thread, owner and
    /// connections. <c>auto</c> (the default) is <see cref="Environment.ProcessorCount"/>, the CPUs
    /// this process may use.
    /// </summary>
    public int RingCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Submission queue depth.</summary>
    public int Entries { get; init; } = 256;

    /// <summary>Completion queue depth; 0 for the kernel's default (twice <see cref="Entries"/>).</summary>
    public int CompletionQueueEntries { get; init; } = 16384;

    /// <summary>Most operations in flight; 0 for the completion queue size.</summary>
    public int MaxInFlight { get; init; }

    /// <summary>
    /// The CQ size a full ring grows to (doubling, with the in-flight limit); 0 for no growth. Applies
    /// only with <see cref="MaxInFlight"/> 0, DEFER_TASKRUN in effect and a kernel that resizes rings.
    /// </summary>
    public int GrowCompletionQueueTo { get; init; } = 65536;

    /// <summary>Use IORING_SETUP_SINGLE_ISSUER when the kernel accepts it.</summary>
    public bool SingleIssuer { get; init; } = true;

    /// <summary>With <see cref="SingleIssuer"/>, also use IORING_SETUP_DEFER_TASKRUN when the kernel accepts it.</summary>
    public bool DeferTaskrun { get; init; } = true;

    /// <summary>How long the owner waits for cancelled operations when it stops.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Size of each provided receive buffer of a TCP connection.</summary>
    public int ReceiveBufferSize { get; init; } = 16384;

    /// <summary>Provided receive buffers per TCP connection.</summary>
    public int ReceiveBufferCount { get; init; } = 16;

    /// <summary>Receive buffers in one pool all connections share; 0 for <see cref="ReceiveBufferCount"/> buffers per connection.</summary>
    public int SharedReceiveBuffers { get; init; }

    /// <summary>Deliver received data as <see cref="Tcp.UringTcp.ReceivedLease"/> (the provided buffer itself, which the handler must dispose) instead of a copied <see cref="Akka.IO.Tcp.Received"/>.</summary>
    public bool LeasedReceive { get; init; }

    /// <summary>Bytes a TCP connection queues for writing before refusing a Write.</summary>
    public long MaxQueuedWriteBytes { get; init; } = 4 << 20;

    /// <summary>Default listen backlog.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>Delay before a listener accepts again after EMFILE/ENFILE.</summary>
    public TimeSpan AcceptRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Close a TCP connection when nothing was received or sent for this long; <see cref="Timeout.InfiniteTimeSpan"/> never.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long a new connection waits for its handler's <see cref="Akka.IO.Tcp.Register"/> before it closes (Akka.IO's <c>register-timeout</c>); <see cref="Timeout.InfiniteTimeSpan"/> forever.</summary>
    public TimeSpan RegisterTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The embedded defaults.</summary>
    public static Config DefaultConfig { get; } = LoadDefaults();

    /// <summary>Reads the <c>uring</c> section of <paramref name="config"/>, with the defaults beneath it.</summary>
    /// <exception cref="ConfigurationException">A value is out of range; the message names the key.</exception>
    public static UringSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var uring = config.WithFallback(DefaultConfig).GetConfig("uring");
        var settings = new UringSettings
        {
            RingCount = ReadRingCount(uring),
            Entries = uring.GetInt("ring.entries"),
            CompletionQueueEntries = uring.GetInt("ring.completion-queue-entries"),
            MaxInFlight = uring.GetInt("ring.max-in-flight"),
            GrowCompletionQueueTo = uring.GetInt("ring.grow-completion-queue-to"),
            SingleIssuer = uring.GetBoolean("ring.single-issuer"),
            DeferTaskrun = uring.GetBoolean("ring.defer-taskrun"),
            DrainTimeout = uring.GetTimeSpan("ring.drain-timeout"),
            ReceiveBufferSize = uring.GetInt("tcp.receive-buffer-size"),
            ReceiveBufferCount = uring.GetInt("tcp.receive-buffer-count"),
            SharedReceiveBuffers = uring.GetInt("tcp.shared-receive-buffers"),
            LeasedReceive = uring.GetBoolean("tcp.leased-receive"),
            MaxQueuedWriteBytes = uring.GetLong("tcp.max-queued-write-bytes"),
            Backlog = uring.GetInt("tcp.backlog"),
            AcceptRetryDelay = uring.GetTimeSpan("tcp.accept-retry-delay"),
            IdleTimeout = uring.GetTimeSpan("tcp.idle-timeout", allowInfinite: true),
            RegisterTimeout = uring.GetTimeSpan("tcp.register-timeout", allowInfinite: true),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// The dispatcher id of ring <paramref name="ring"/>'s loop: actors deployed on it run on that
    /// ring's loop thread (see <see cref="LoopDispatcher"/>). The UringTcp extension registers one for
    /// each of its rings when it starts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ring"/> is negative or not below <see cref="MaxRingCount"/>.</exception>
    public static string LoopDispatcherOf(int ring)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ring);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ring, MaxRingCount);
        return $"{LoopDispatcher}-{ring}";
    }

    /// <summary>The dispatcher id of ring <paramref name="ring"/>'s owner (its loop thread, <c>uring-ring-N</c>).</summary>
    internal static string OwnerDispatcherOf(int ring) => $"{OwnerDispatcher}-{ring}";

    /// <summary>The ring options these settings describe (flags decided by the owner from the probe).</summary>
    internal RingOptions ToRingOptions(RingSetupFlags flags, string? name = null, int? growCompletionQueueTo = null) => new()
    {
        GrowCompletionQueueTo = growCompletionQueueTo,
        Name = name,
        Entries = Entries,
        Flags = flags,
        CompletionQueueEntries = CompletionQueueEntries == 0 ? null : CompletionQueueEntries,
        MaxInFlight = MaxInFlight == 0 ? null : MaxInFlight,
        DrainTimeout = DrainTimeout,
    };

    /// <summary>The settings as the <c>uring</c> keys they come from, on one line (what the extension logs at start).</summary>
    public override string ToString() => string.Join(", ", [
        $"ring.count = {RingCount}",
        $"ring.entries = {Entries}",
        $"ring.completion-queue-entries = {CompletionQueueEntries}",
        $"ring.max-in-flight = {MaxInFlight}",
        $"ring.grow-completion-queue-to = {GrowCompletionQueueTo}",
        $"ring.single-issuer = {OnOff(SingleIssuer)}",
        $"ring.defer-taskrun = {OnOff(DeferTaskrun)}",
        $"ring.drain-timeout = {Duration(DrainTimeout)}",
        $"tcp.receive-buffer-size = {ReceiveBufferSize}",
        $"tcp.receive-buffer-count = {ReceiveBufferCount}",
        $"tcp.shared-receive-buffers = {SharedReceiveBuffers}",
        $"tcp.leased-receive = {OnOff(LeasedReceive)}",
        $"tcp.max-queued-write-bytes = {MaxQueuedWriteBytes}",
        $"tcp.backlog = {Backlog}",
        $"tcp.accept-retry-delay = {Duration(AcceptRetryDelay)}",
        $"tcp.idle-timeout = {(IdleTimeout == Timeout.InfiniteTimeSpan ? "infinite" : Duration(IdleTimeout))}",
        $"tcp.register-timeout = {(RegisterTimeout == Timeout.InfiniteTimeSpan ? "infinite" : Duration(RegisterTimeout))}",
    ]);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Duration(TimeSpan duration) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(long)duration.TotalMilliseconds}ms");

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first out-of-range key.</summary>
    public void Validate()
    {
        Require(RingCount is >= 1 and <= MaxRingCount, "uring.ring.count", RingCount, $"auto (one per CPU), or between 1 and {MaxRingCount}");
        Require(Entries is >= 1 and <= 32768, "uring.ring.entries", Entries, "between 1 and 32768");
        Require(CompletionQueueEntries == 0 || (CompletionQueueEntries >= Entries && CompletionQueueEntries <= 65536), "uring.ring.completion-queue-entries", CompletionQueueEntries, "0, or between uring.ring.entries and 65536");
        Require(MaxInFlight is >= 0 and <= 1 << 20, "uring.ring.max-in-flight", MaxInFlight, "between 0 (the completion queue size) and 1048576");
        Require(GrowCompletionQueueTo == 0 || (GrowCompletionQueueTo >= Math.Max(Entries, CompletionQueueEntries) && GrowCompletionQueueTo <= 65536), "uring.ring.grow-completion-queue-to", GrowCompletionQueueTo, "0 (no growth), or between uring.ring.completion-queue-entries and 65536");
        Require(DrainTimeout >= TimeSpan.Zero, "uring.ring.drain-timeout", DrainTimeout, "not negative");
        Require(ReceiveBufferSize is >= 1 and <= Ring.MaxReceiveBufferSize, "uring.tcp.receive-buffer-size", ReceiveBufferSize, $"between 1 and {Ring.MaxReceiveBufferSize}");
        Require(ReceiveBufferCount is >= 1 and <= Ring.MaxReceiveBufferCount, "uring.tcp.receive-buffer-count", ReceiveBufferCount, $"between 1 and {Ring.MaxReceiveBufferCount}");
        Require(SharedReceiveBuffers is >= 0 and <= Ring.MaxReceiveBufferCount, "uring.tcp.shared-receive-buffers", SharedReceiveBuffers, $"0 (buffers per connection), or between 1 and {Ring.MaxReceiveBufferCount}");
        Require(MaxQueuedWriteBytes >= 1, "uring.tcp.max-queued-write-bytes", MaxQueuedWriteBytes, "at least 1");
        Require(Backlog >= 1, "uring.tcp.backlog", Backlog, "at least 1");
        Require(AcceptRetryDelay >= TimeSpan.Zero, "uring.tcp.accept-retry-delay", AcceptRetryDelay, "not negative");
        Require(IdleTimeout == Timeout.InfiniteTimeSpan || IdleTimeout > TimeSpan.Zero, "uring.tcp.idle-timeout", IdleTimeout, "positive, or infinite to keep idle connections open");
        Require(RegisterTimeout == Timeout.InfiniteTimeSpan || RegisterTimeout > TimeSpan.Zero, "uring.tcp.register-timeout", RegisterTimeout, "positive, or infinite to wait for Register forever");
    }

    /// <summary><c>ring.count</c>: <c>auto</c>, or a whole number (checked by <see cref="Validate"/>).</summary>
    private static int ReadRingCount(Config uring)
    {
        var text = uring.GetString("ring.count")?.Trim();
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return Environment.ProcessorCount;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            throw new ConfigurationException($"Configuration key 'uring.ring.count' is '{text}'; it must be auto (one per CPU), or between 1 and {MaxRingCount}.");
        }

        return count;
    }

    private static void Require(bool valid, string key, object value, string expected)
    {
        if (!valid)
        {
            throw new ConfigurationException($"Configuration key '{key}' is {value}; it must be {expected}.");
        }
    }

    private static Config LoadDefaults()
    {
        using var stream = typeof(UringSettings).Assembly.GetManifestResourceStream("Uring.Actors.reference.conf")
            ?? throw new InvalidOperationException("The embedded reference.conf of Uring.Actors is missing.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
