using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Uring;

/// <summary>
/// The <c>Uring</c> meter (System.Diagnostics.Metrics): watch it with
/// <c>dotnet-counters monitor --counters Uring -n Uring.Host</c>, or any OpenTelemetry exporter.
/// Instruments cost nothing beyond a flag check while no listener is attached. Only the library
/// records on them (they are internal); listeners find them by <see cref="MeterName"/> and the
/// instrument names below.
/// <list type="bullet">
/// <item><c>uring.operations.submitted</c>, <c>uring.operations.completed</c>: counters, tagged <c>kind</c> (multishot legs each count as a completion).</item>
/// <item><c>uring.operations.in_flight</c>: gauge over the process's open rings (the total); <c>uring.ring.in_flight</c>: the same per named ring.</item>
/// <item><c>uring.backpressure</c>: submissions refused (ring API) or stashed (ring owner actor) because the ring was full.</item>
/// <item><c>uring.cq.overflow</c>: completions the kernel dropped because a completion queue was full and it could not keep them (with NODROP a full queue only delays completions; this counts the lost ones, normally 0), summed over open rings.</item>
/// <item><c>uring.receive.leases.leaked</c>: <see cref="ReceivedLease"/>s nobody disposed, returned by their finalizer (normally 0).</item>
/// <item><c>uring.tcp.bytes_received</c>, <c>uring.tcp.bytes_sent</c>: counters; <c>uring.tcp.connections</c>: gauge of open UringTcp connections (Uring.Actors), the total; <c>uring.ring.connections</c>: the same per ring.</item>
/// </list>
/// Counters of a named ring (<see cref="RingOptions.Name"/>; Uring.Actors names its rings by index)
/// also carry the tag <c>ring</c>, so a backend can split them per ring and still sums them to the
/// total. The gauges without <c>ring</c> in their name are totals over every ring, which is what
/// dotnet-counters shows; the <c>uring.ring.*</c> gauges report one series per ring.
/// </summary>
public static class UringMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Uring";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly List<WeakReference<Ring>> Rings = [];
    private static readonly KeyValuePair<string, object?>[] KindTags =
        Enum.GetValues<CompletionKind>().Select(kind => new KeyValuePair<string, object?>("kind", kind.ToString())).ToArray();

    /// <summary><c>uring.operations.submitted</c>: operations handed to the ring, by <c>kind</c>.</summary>
    internal static Counter<long> Submitted { get; } = Meter.CreateCounter<long>("uring.operations.submitted", "{operation}", "Operations submitted, by kind");

    /// <summary><c>uring.operations.completed</c>: completions delivered (multishot legs each count), by <c>kind</c>.</summary>
    internal static Counter<long> Completed { get; } = Meter.CreateCounter<long>("uring.operations.completed", "{completion}", "Completions delivered, by kind");

    /// <summary><c>uring.ring.growth</c>: steps of automatic growth (RingOptions.GrowCompletionQueueTo), by <c>ring</c>.</summary>
    internal static Counter<long> Growth { get; } = Meter.CreateCounter<long>("uring.ring.growth", "{step}", "Times a ring doubled its completion queue and in-flight limit (RingOptions.GrowCompletionQueueTo)");

    /// <summary><c>uring.backpressure</c>: submissions refused or deferred because the ring was full.</summary>
    internal static Counter<long> Backpressure { get; } = Meter.CreateCounter<long>("uring.backpressure", "{event}", "Submissions refused or stashed because the ring was full");

    /// <summary><c>uring.receive.leases.leaked</c>: leases of leased multishot receives that were never disposed (their finalizer returned the buffer).</summary>
    internal static Counter<long> LeasesLeaked { get; } = Meter.CreateCounter<long>("uring.receive.leases.leaked", "{lease}", "Receive leases never disposed, returned by their finalizer");

    /// <summary><c>uring.tcp.bytes_received</c>: bytes received by UringTcp connections.</summary>
    internal static Counter<long> BytesReceived { get; } = Meter.CreateCounter<long>("uring.tcp.bytes_received", "By", "Bytes received by TCP connections");

    /// <summary><c>uring.tcp.bytes_sent</c>: bytes sent by UringTcp connections.</summary>
    internal static Counter<long> BytesSent { get; } = Meter.CreateCounter<long>("uring.tcp.bytes_sent", "By", "Bytes sent by TCP connections");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<long>> OpenConnectionsPerRing = new();
    private static long s_openConnections;

    /// <summary>
    /// <c>uring.tcp.connections</c>: open UringTcp connections, over every ring. Observed rather than
    /// summed from changes, so a listener that attaches while connections are open still reads them all.
    /// </summary>
    internal static ObservableGauge<long> Connections { get; } = Meter.CreateObservableGauge("uring.tcp.connections", () => Volatile.Read(ref s_openConnections), "{connection}", "Open TCP connections");

    /// <summary><c>uring.ring.connections</c>: open UringTcp connections per ring (tag <c>ring</c>).</summary>
    internal static ObservableGauge<long> ConnectionsPerRing { get; } = Meter.CreateObservableGauge(
        "uring.ring.connections",
        () => OpenConnectionsPerRing.Select(ring => new Measurement<long>(Volatile.Read(ref ring.Value.Value), RingTag(ring.Key))),
        "{connection}",
        "Open TCP connections per ring");

    /// <summary>A UringTcp connection on ring <paramref name="ring"/> opened (counted in <see cref="Connections"/> and <see cref="ConnectionsPerRing"/>).</summary>
    internal static void ConnectionOpened(string ring)
    {
        Interlocked.Increment(ref s_openConnections);
        Interlocked.Increment(ref OpenConnectionsPerRing.GetOrAdd(ring, static _ => new StrongBox<long>()).Value);
    }

    /// <summary>A counted UringTcp connection on ring <paramref name="ring"/> closed.</summary>
    internal static void ConnectionClosed(string ring)
    {
        Interlocked.Decrement(ref s_openConnections);
        Interlocked.Decrement(ref OpenConnectionsPerRing.GetOrAdd(ring, static _ => new StrongBox<long>()).Value);
    }

    /// <summary><c>uring.operations.in_flight</c>: operations in flight across the process's rings.</summary>
    internal static ObservableGauge<long> InFlight { get; } = Meter.CreateObservableGauge("uring.operations.in_flight", () => Sum(ring => ring.InFlight), "{operation}", "Operations in flight");

    /// <summary><c>uring.ring.in_flight</c>: operations in flight per named ring (tag <c>ring</c>; rings of the same name, in several actor systems, add up).</summary>
    internal static ObservableGauge<long> InFlightPerRing { get; } = Meter.CreateObservableGauge("uring.ring.in_flight", () => PerRing(ring => ring.InFlight), "{operation}", "Operations in flight per ring");

    /// <summary><c>uring.cq.overflow</c>: completions the kernel dropped because a CQ was full (normally 0 with NODROP).</summary>
    internal static ObservableCounter<long> CompletionQueueOverflow { get; } = Meter.CreateObservableCounter("uring.cq.overflow", () => Sum(ring => ring.CompletionOverflow), "{completion}", "Completions dropped by a full completion queue");

    internal static KeyValuePair<string, object?> TagOf(CompletionKind kind) => KindTags[(int)kind];

    /// <summary>The tag that names a ring's measurements.</summary>
    internal static KeyValuePair<string, object?> RingTag(string ring) => new("ring", ring);

    /// <summary>Adds <paramref name="value"/> to <paramref name="counter"/>, tagged with <paramref name="ring"/> when the ring has a name.</summary>
    internal static void Add(Counter<long> counter, long value, KeyValuePair<string, object?>? ring)
    {
        if (ring is { } tag)
        {
            counter.Add(value, tag);
        }
        else
        {
            counter.Add(value);
        }
    }

    /// <summary>Counts one operation of <paramref name="kind"/> on <paramref name="counter"/>, tagged with <paramref name="ring"/> when the ring has a name.</summary>
    internal static void Add(Counter<long> counter, CompletionKind kind, KeyValuePair<string, object?>? ring)
    {
        if (ring is { } tag)
        {
            counter.Add(1, TagOf(kind), tag);
        }
        else
        {
            counter.Add(1, TagOf(kind));
        }
    }

    internal static void Track(Ring ring)
    {
        lock (Rings)
        {
            Rings.RemoveAll(reference => !reference.TryGetTarget(out var live) || live.IsClosed);
            Rings.Add(new WeakReference<Ring>(ring));
        }
    }

    private static long Sum(Func<Ring, long> measure)
    {
        lock (Rings)
        {
            long total = 0;
            foreach (var reference in Rings)
            {
                if (reference.TryGetTarget(out var ring) && !ring.IsClosed)
                {
                    total += measure(ring);
                }
            }

            return total;
        }
    }

    private static List<Measurement<long>> PerRing(Func<Ring, long> measure)
    {
        var totals = new Dictionary<string, long>();
        lock (Rings)
        {
            foreach (var reference in Rings)
            {
                if (reference.TryGetTarget(out var ring) && !ring.IsClosed && ring.Name is { } name)
                {
                    totals[name] = totals.GetValueOrDefault(name) + measure(ring);
                }
            }
        }

        return totals.Select(total => new Measurement<long>(total.Value, RingTag(total.Key))).ToList();
    }
}
