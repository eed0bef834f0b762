using System.Diagnostics;
using Uring.Native;
using Uring.Ops;

namespace Uring.Benchmarks;

/// <summary>
/// The NOP round trip as a plain timed loop, the same shape as reference/liburing_nop.c, so the two
/// can run back to back in one script: <c>dotnet run -c Release --project tests/Uring.Benchmarks -- nop [total]</c>.
/// </summary>
internal static class NopLoop
{
    internal static void Run(long total)
    {
        using var raw = new RawRing(64);
        using var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 }) { AutoSubmit = false };
        var completions = new CompletionQueueEntry[64];
        foreach (var batch in new[] { 1, 8, 64 })
        {
            RawRingLoop(raw, completions, batch, total / 10);
            Console.WriteLine($"RawRing nop batch {batch}: {RawRingLoop(raw, completions, batch, total):F1} ns/op");
            RingLoop(ring, batch, total / 10);
            Console.WriteLine($"Ring nop batch {batch}: {RingLoop(ring, batch, total):F1} ns/op");
        }
    }

    private static double RawRingLoop(RawRing raw, CompletionQueueEntry[] completions, int batch, long total)
    {
        var clock = Stopwatch.StartNew();
        for (long done = 0; done < total; done += batch)
        {
            for (var i = 0; i < batch; i++)
            {
                raw.TryPrepare(new NopOperation(), (ulong)i);
            }

            raw.SubmitAndWait(batch);
            var got = 0;
            while (got < batch)
            {
                got += raw.ReapCompletions(completions);
            }
        }

        return clock.Elapsed.TotalNanoseconds / total;
    }

    private static double RingLoop(Ring ring, int batch, long total)
    {
        var clock = Stopwatch.StartNew();
        for (long done = 0; done < total; done += batch)
        {
            for (var i = 0; i < batch; i++)
            {
                ring.SubmitNop();
            }

            ring.Flush();
            for (var i = 0; i < batch; i++)
            {
                ring.Wait(TimeSpan.Zero);
            }
        }

        return clock.Elapsed.TotalNanoseconds / total;
    }
}
