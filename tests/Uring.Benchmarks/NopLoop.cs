using System.Diagnostics;
using Uring.Native;
using Uring.Ops;

namespace Uring.Benchmarks;

/// <summary>
/// The NOP round trip as plain timed loops, the same shape as reference/liburing_nop.c, so they can
/// run back to back in one script: <c>dotnet run -c Release --project tests/Uring.Benchmarks -- nop [total]</c>.
/// Low-level (<see cref="RawRing"/>), object (<see cref="Ring"/> + Wait, WaitMany, or served through
/// Callback or BatchCallback) and awaitable
/// (<see cref="Ring.NopAsync"/> through a <see cref="CompletionThread"/>) paths at batch 1, 8 and 64.
/// </summary>
internal static class NopLoop
{
    internal static async Task RunAsync(long total)
    {
        using var raw = new RawRing(64);
        using var polled = new RawRing(new RingOptions { Entries = 64, Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromSeconds(1) });
        using var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 }) { AutoSubmit = false };
        using var served = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 }) { AutoSubmit = false };
        using var awaited = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 });
        using var completions = awaited.StartCompletionThread();
        using var inline = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128, InlineContinuations = true });
        using var inlineCompletions = inline.StartCompletionThread();
        var entries = new CompletionQueueEntry[64];
        var reaped = new Completion[64];
        var tasks = new ValueTask<Completion>[64];
        foreach (var batch in new[] { 1, 8, 64 })
        {
            Report("RawRing", batch, total, count => RawRingLoop(raw, entries, batch, count));
            Report("RawRing SQPOLL", batch, total, count => PolledLoop(polled, entries, batch, count));
            Report("Ring", batch, total, count => RingLoop(ring, batch, count));
            Report("Ring WaitMany", batch, total, count => RingManyLoop(ring, reaped, batch, count));
            Report("Ring Callback", batch, total, count => ServedLoops.Nops(served, batch, count, batched: false));
            Report("Ring BatchCallback", batch, total, count => ServedLoops.Nops(served, batch, count, batched: true));
            var asyncTotal = total / 10; // two thread hops per batch: far slower, so fewer operations
            await AwaitLoop(awaited, tasks, batch, asyncTotal / 10);
            var clock = Stopwatch.StartNew();
            await AwaitLoop(awaited, tasks, batch, asyncTotal);
            Console.WriteLine($"Async nop batch {batch}: {clock.Elapsed.TotalNanoseconds / asyncTotal:F1} ns/op");
            await AwaitLoop(inline, tasks, batch, total / 10);
            clock.Restart();
            await AwaitLoop(inline, tasks, batch, total);
            Console.WriteLine($"Async inline nop batch {batch}: {clock.Elapsed.TotalNanoseconds / total:F1} ns/op");
            await Task.Yield(); // inline continuations run on the completion thread: leave it
        }
    }

    private static void Report(string name, int batch, long total, Action<long> loop)
    {
        loop(total / 10);
        var clock = Stopwatch.StartNew();
        loop(total);
        Console.WriteLine($"{name} nop batch {batch}: {clock.Elapsed.TotalNanoseconds / total:F1} ns/op");
    }

    private static void RawRingLoop(RawRing raw, CompletionQueueEntry[] completions, int batch, long total)
    {
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
    }

    /// <summary>On an SQPOLL ring: publish, then spin on the CQ. No syscall while the kernel's thread polls (it costs a CPU meanwhile).</summary>
    private static void PolledLoop(RawRing raw, CompletionQueueEntry[] completions, int batch, long total)
    {
        for (long done = 0; done < total; done += batch)
        {
            for (var i = 0; i < batch; i++)
            {
                // The kernel's thread moves the SQ head only after its whole batch, so the
                // completions can be reaped before their entries are free again: wait for room.
                while (!raw.TryPrepare(new NopOperation(), (ulong)i))
                {
                    Thread.SpinWait(20);
                }
            }

            raw.Submit();
            var got = 0;
            while (got < batch)
            {
                got += raw.ReapCompletions(completions);
            }
        }
    }

    private static void RingLoop(Ring ring, int batch, long total)
    {
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
    }

    /// <summary><see cref="RingLoop"/>, reaping each batch with <see cref="Ring.WaitMany"/> instead of one <c>Wait</c> per completion.</summary>
    private static void RingManyLoop(Ring ring, Completion[] reaped, int batch, long total)
    {
        for (long done = 0; done < total; done += batch)
        {
            for (var i = 0; i < batch; i++)
            {
                ring.SubmitNop();
            }

            ring.Flush();
            for (var got = 0; got < batch;)
            {
                got += ring.WaitMany(reaped.AsSpan(0, batch - got), TimeSpan.Zero);
            }
        }
    }

    private static async Task AwaitLoop(Ring ring, ValueTask<Completion>[] tasks, int batch, long total)
    {
        for (long done = 0; done < total; done += batch)
        {
            for (var i = 0; i < batch; i++)
            {
#pragma warning disable CA2012 // each ValueTask is awaited exactly once, below: a batch is in flight together
                tasks[i] = ring.NopAsync();
#pragma warning restore CA2012
            }

            for (var i = 0; i < batch; i++)
            {
                await tasks[i];
            }
        }
    }
}
