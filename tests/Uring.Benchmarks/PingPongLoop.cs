using System.Diagnostics;
using System.Net.Sockets;
using Uring.Native;
using Uring.Ops;

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
            await Measure("Ring", size, rounds, RingRounds);
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
        var outgoing = new PinnedBuffer(size);
        var incoming = new PinnedBuffer(size);
        var entries = new CompletionQueueEntry[8];
        int leftFd = (int)left.Handle, rightFd = (int)right.Handle;
        for (long i = 0; i < rounds; i++)
        {
            ring.TryPrepare(new RecvOperation(rightFd, incoming.Address, (uint)size, MessageFlags.WaitAll), 1);
            ring.TryPrepare(new SendOperation(leftFd, outgoing.Address, (uint)size, MessageFlags.NoSignal), 2);
            ring.SubmitAndWait(2);
            var got = ring.ReapCompletions(entries);
            while (got < 2)
            {
                ring.WaitForCompletions(1);
                got += ring.ReapCompletions(entries);
            }
        }

        return Task.CompletedTask;
    }

    private static Task RingRounds(Socket left, Socket right, int size, long rounds)
    {
        using var ring = new Ring(8) { AutoSubmit = false };
        var outgoing = new byte[size];
        var incoming = new byte[size];
        for (long i = 0; i < rounds; i++)
        {
            ring.SubmitRecv(right, incoming, null, MessageFlags.WaitAll);
            ring.SubmitSend(left, outgoing);
            ring.Flush();
            ring.Wait();
            ring.Wait();
        }

        return Task.CompletedTask;
    }

    private static async Task AsyncRounds(Socket left, Socket right, int size, long rounds, bool inline)
    {
        using var ring = new Ring(new RingOptions { Entries = 8, InlineContinuations = inline });
        using var completions = ring.StartCompletionThread();
        var outgoing = new byte[size];
        var incoming = new byte[size];
        for (long i = 0; i < rounds; i++)
        {
            var receive = ring.RecvAsync(right, incoming, MessageFlags.WaitAll);
            await ring.SendAsync(left, outgoing);
            await receive;
        }

        await Task.Yield(); // inline continuations run on the completion thread: leave it before disposing it
    }

    private static Task SocketsSyncRounds(Socket left, Socket right, int size, long rounds)
    {
        var outgoing = new byte[size];
        var incoming = new byte[size];
        for (long i = 0; i < rounds; i++)
        {
            left.Send(outgoing);
            var got = 0;
            while (got < size)
            {
                got += right.Receive(incoming.AsSpan(got));
            }
        }

        return Task.CompletedTask;
    }

    private static async Task SocketsAsyncRounds(Socket left, Socket right, int size, long rounds)
    {
        var outgoing = new byte[size];
        var incoming = new byte[size];
        for (long i = 0; i < rounds; i++)
        {
            var receive = right.ReceiveAsync(incoming.AsMemory(), SocketFlags.None);
            await left.SendAsync(outgoing.AsMemory(), SocketFlags.None);
            var got = await receive;
            while (got < size)
            {
                got += await right.ReceiveAsync(incoming.AsMemory(got), SocketFlags.None);
            }
        }
    }
}
