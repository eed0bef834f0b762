namespace Uring.Host.Services;

/// <summary>
/// A fixed amount of CPU work per HTTP request, for the load tests that ask whether a server uses
/// more than one core (<c>Uring:Services:Http:WorkIterations</c>; docs/performance.md, "Rings per core"). Every peer —
/// this host, the System.Net.Sockets and Akka.IO peers, and the C liburing reference — runs the
/// same loop the same number of times: a dependent xorshift chain that no compiler can shorten or
/// vectorise.
/// </summary>
internal static class SimulatedWork
{
    private static ulong s_sink;

    /// <summary>Runs <paramref name="iterations"/> steps of the loop (nothing for 0).</summary>
    internal static void Run(int iterations)
    {
        var x = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < iterations; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        Volatile.Write(ref s_sink, x); // the result is used, so the loop stays
    }

    /// <summary>How many iterations take <paramref name="duration"/> of CPU on this machine (measured over 200 ms).</summary>
    internal static int IterationsFor(TimeSpan duration)
    {
        const int Sample = 1_000_000;
        Run(Sample); // compiled and warm
        var best = TimeSpan.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMilliseconds(200))
        {
            var start = clock.Elapsed;
            Run(Sample);
            var taken = clock.Elapsed - start;
            best = taken < best ? taken : best;
        }

        return (int)Math.Round(Sample * (duration / best));
    }
}
