using System.Diagnostics;
using System.Net.Sockets;
using Uring.Native;

namespace Uring.Benchmarks;

/// <summary>
/// One byte (or 4 KiB) back and forth over a Unix socketpair: one side sends, the other receives,
/// per round trip. The same shape as reference/liburing_pingpong.c; peers: the low-level ring, the
/// object ring, the awaitable ring, and System.Net.Sockets sync and async.
/// <c>dotnet run -c Release --project tests/Uring.Benchmarks -- pingpong [rounds]</c>.
/// </summary>
internal static class PingPongLoop
{
    internal static async Task RunAsync(long rounds)
    {
        foreach (var size in new[] { 1, 4096 })
        {
            await Measure("RawRing", size, rounds, RawRingRounds);
            await Measure("RawRing SQPOLL", size, rounds, PolledRawRingRounds);
            await Measure("Ring", size, rounds, RingRounds);
            await Measure("Ring Callback", size, rounds, (l, r, s, n) => ServedRounds(l, r, s, n, batched: false));
            await Measure("Ring BatchCallback", size, rounds, (l, r, s, n) => ServedRounds(l, r, s, n, batched: true));
            await Measure("Async", size, rounds / 4, (l, r, s, n) => AsyncRounds(l, r, s, n, inline: false));
            await Measure("Async inline", size, rounds, (l, r, s, n) => AsyncRounds(l, r, s, n, inline: true));
            await Measure("Sockets sync", size, rounds, SocketsSyncRounds);
            await Measure("Sockets async", size, rounds / 4, SocketsAsyncRounds);
        }
    }

    private static async Task Measure(string name, int size, long rounds, Func<Socket, Socket, int, long, Task> loop)
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        {
            await loop(left, right, size, rounds / 10);
            var clock = Stopwatch.StartNew();
            await loop(left, right, size, rounds);
            Console.WriteLine($"{name} pingpong {size} B: {clock.Elapsed.TotalNanoseconds / rounds:F1} ns/round trip");
        }
    }

    private static Task RawRingRounds(Socket left, Socket right, int size, long rounds)
    {
        using var ring = new RawRing(8);
        PingPongRounds.OverRawRing(ring, left, right, new PinnedBuffer(size), new PinnedBuffer(size), new CompletionQueueEntry[8], rounds);
        return Task.CompletedTask;
    }

    private static Task PolledRawRingRounds(Socket left, Socket right, int size, long rounds)
    {
        using var ring = new RawRing(new RingOptions { Entries = 8, Flags = RingSetupFlags.SqPoll, SqPollIdle = TimeSpan.FromSeconds(1) });
        PingPongRounds.OverRawRing(ring, left, right, new PinnedBuffer(size), new PinnedBuffer(size), new CompletionQueueEntry[8], rounds);
        return Task.CompletedTask;
    }

    private static Task RingRounds(Socket left, Socket right, int size, long rounds)
    {
        using var ring = new Ring(8) { AutoSubmit = false };
        PingPongRounds.OverRing(ring, left, right, new byte[size], new byte[size], rounds);
        return Task.CompletedTask;
    }

    private static Task ServedRounds(Socket left, Socket right, int size, long rounds, bool batched)
    {
        using var ring = new Ring(8) { AutoSubmit = false };
        ServedLoops.PingPong(ring, left, right, new byte[size], new byte[size], rounds, batched);
        return Task.CompletedTask;
    }

    private static async Task AsyncRounds(Socket left, Socket right, int size, long rounds, bool inline)
    {
        using var ring = new Ring(new RingOptions { Entries = 8, InlineContinuations = inline });
        using var completions = ring.StartCompletionThread();
        await PingPongRounds.Awaited(ring, left, right, new byte[size], new byte[size], rounds); // returns off the completion thread, which is disposed next
    }

    private static Task SocketsSyncRounds(Socket left, Socket right, int size, long rounds)
    {
        PingPongRounds.OverSocketsSync(left, right, new byte[size], new byte[size], rounds);
        return Task.CompletedTask;
    }

    private static Task SocketsAsyncRounds(Socket left, Socket right, int size, long rounds) =>
        PingPongRounds.OverSocketsAsync(left, right, new byte[size], new byte[size], rounds);
}
