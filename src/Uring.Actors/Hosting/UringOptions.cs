using System.Globalization;
using System.Text;

namespace Uring.Actors.Hosting;

/// <summary>
/// Options for <see cref="AkkaUringHostingExtensions.WithUring(Akka.Hosting.AkkaConfigurationBuilder, UringOptions)"/>.
/// Every property is optional: null means "the default from Uring.Actors' reference.conf".
/// </summary>
public sealed class UringOptions
{
    /// <summary><c>uring.ring.count</c>: how many rings (each with its own loop thread); null keeps <c>auto</c>, one per CPU.</summary>
    public int? RingCount { get; set; }

    /// <summary><c>uring.ring.entries</c>: submission queue depth.</summary>
    public int? Entries { get; set; }

    /// <summary><c>uring.ring.completion-queue-entries</c>: completion queue depth (0: the kernel's default).</summary>
    public int? CompletionQueueEntries { get; set; }

    /// <summary><c>uring.ring.max-in-flight</c>: most operations in flight (0: the completion queue size).</summary>
    public int? MaxInFlight { get; set; }

    /// <summary><c>uring.ring.grow-completion-queue-to</c>: the CQ size a full ring grows to, doubling (0: no growth).</summary>
    public int? GrowCompletionQueueTo { get; set; }

    /// <summary><c>uring.ring.single-issuer</c>: use IORING_SETUP_SINGLE_ISSUER when the kernel accepts it.</summary>
    public bool? SingleIssuer { get; set; }

    /// <summary><c>uring.ring.defer-taskrun</c>: with single-issuer, also use IORING_SETUP_DEFER_TASKRUN when the kernel accepts it.</summary>
    public bool? DeferTaskrun { get; set; }

    /// <summary><c>uring.ring.drain-timeout</c>: how long stopping waits for cancelled operations.</summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary><c>uring.tcp.receive-buffer-size</c>: size of each provided receive buffer.</summary>
    public int? ReceiveBufferSize { get; set; }

    /// <summary><c>uring.tcp.receive-buffer-count</c>: provided receive buffers per connection.</summary>
    public int? ReceiveBufferCount { get; set; }

    /// <summary><c>uring.tcp.leased-receive</c>: deliver received data as <see cref="Tcp.UringTcp.ReceivedLease"/> (no copy; the handler disposes it) instead of <c>Tcp.Received</c>.</summary>
    public bool? LeasedReceive { get; set; }

    /// <summary><c>uring.tcp.shared-receive-buffers</c>: receive buffers in one pool all connections share (0: each connection has its own).</summary>
    public int? SharedReceiveBuffers { get; set; }

    /// <summary><c>uring.tcp.max-queued-write-bytes</c>: bytes a connection queues before refusing writes.</summary>
    public long? MaxQueuedWriteBytes { get; set; }

    /// <summary><c>uring.tcp.backlog</c>: default listen backlog.</summary>
    public int? Backlog { get; set; }

    /// <summary><c>uring.tcp.idle-timeout</c>: close connections idle this long (<see cref="Timeout.InfiniteTimeSpan"/>: never).</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary><c>uring.tcp.register-timeout</c>: how long a new connection waits for its handler's Register (<see cref="Timeout.InfiniteTimeSpan"/>: forever).</summary>
    public TimeSpan? RegisterTimeout { get; set; }

    /// <summary>The HOCON for the properties that are set.</summary>
    public string ToHocon()
    {
        var hocon = new StringBuilder();
        Append(hocon, "uring.ring.count", RingCount);
        Append(hocon, "uring.ring.entries", Entries);
        Append(hocon, "uring.ring.completion-queue-entries", CompletionQueueEntries);
        Append(hocon, "uring.ring.max-in-flight", MaxInFlight);
        Append(hocon, "uring.ring.grow-completion-queue-to", GrowCompletionQueueTo);
        Append(hocon, "uring.ring.single-issuer", OnOff(SingleIssuer));
        Append(hocon, "uring.ring.defer-taskrun", OnOff(DeferTaskrun));
        Append(hocon, "uring.ring.drain-timeout", DrainTimeout is { } drain ? $"{(long)drain.TotalMilliseconds}ms" : null);
        Append(hocon, "uring.tcp.receive-buffer-size", ReceiveBufferSize);
        Append(hocon, "uring.tcp.receive-buffer-count", ReceiveBufferCount);
        Append(hocon, "uring.tcp.leased-receive", OnOff(LeasedReceive));
        Append(hocon, "uring.tcp.shared-receive-buffers", SharedReceiveBuffers);
        Append(hocon, "uring.tcp.max-queued-write-bytes", MaxQueuedWriteBytes);
        Append(hocon, "uring.tcp.backlog", Backlog);
        Append(hocon, "uring.tcp.idle-timeout", Duration(IdleTimeout));
        Append(hocon, "uring.tcp.register-timeout", Duration(RegisterTimeout));
        return hocon.ToString();
    }

    private static string? Duration(TimeSpan? value) =>
        value is { } set ? (set == Timeout.InfiniteTimeSpan ? "infinite" : $"{(long)set.TotalMilliseconds}ms") : null;

    private static string? OnOff(bool? value) => value is { } set ? (set ? "on" : "off") : null;

    private static void Append(StringBuilder hocon, string key, object? value)
    {
        if (value is not null)
        {
            hocon.Append(key).Append(" = ").AppendLine(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
