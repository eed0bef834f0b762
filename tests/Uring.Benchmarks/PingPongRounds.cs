using System.Net.Sockets;
using Uring.Native;
using Uring.Ops;

namespace Uring.Benchmarks;

/// <summary>
/// The ping-pong round trips themselves — one send on <c>left</c>, one receive of the same size on
/// <c>right</c> — through each API, so the BenchmarkDotNet class (<see cref="PingPongBenchmarks"/>) and the
/// plain loop (<see cref="PingPongLoop"/>) measure the same code. Rings, buffers and sockets come
/// from the caller, set up once.
/// </summary>
internal static class PingPongRounds
{
    /// <summary>The low-level API: struct operations on pre-pinned buffers, one enter per round trip.</summary>
    internal static void OverRawRing(RawRing ring, Socket left, Socket right, PinnedBuffer outgoing, PinnedBuffer incoming, CompletionQueueEntry[] completions, long rounds)
    {
        int leftFd = (int)left.Handle, rightFd = (int)right.Handle;
        for (long i = 0; i < rounds; i++)
        {
            ring.TryPrepare(new RecvOperation(rightFd, incoming.Address, (uint)incoming.Length, MessageFlags.WaitAll), 1);
            ring.TryPrepare(new SendOperation(leftFd, outgoing.Address, (uint)outgoing.Length, MessageFlags.NoSignal), 2);
            ring.SubmitAndWait(2);
            var got = ring.ReapCompletions(completions);
            while (got < 2)
            {
                ring.WaitForCompletions(1);
                got += ring.ReapCompletions(completions);
            }
        }
    }

    /// <summary>The object API (<c>AutoSubmit = false</c>): byte arrays pinned per operation, one flush per round trip, two waits.</summary>
    internal static void OverRing(Ring ring, Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds)
    {
        for (long i = 0; i < rounds; i++)
        {
            ring.SubmitRecv(right, incoming, null, MessageFlags.WaitAll);
            ring.SubmitSend(left, outgoing);
            ring.Flush();
            ring.Wait();
            ring.Wait();
        }
    }

    /// <summary>
    /// The awaitable API; the caller's ring runs a completion thread. Ends by leaving that thread
    /// (with inline continuations the loop runs on it), so the caller may dispose it or start again.
    /// </summary>
    internal static async Task Awaited(Ring ring, Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds)
    {
        for (long i = 0; i < rounds; i++)
        {
            var receive = ring.RecvAsync(right, incoming, MessageFlags.WaitAll);
            await ring.SendAsync(left, outgoing);
            await receive;
        }

        await Task.Yield();
    }

    /// <summary>System.Net.Sockets, blocking calls.</summary>
    internal static void OverSocketsSync(Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds)
    {
        for (long i = 0; i < rounds; i++)
        {
            left.Send(outgoing);
            var got = 0;
            while (got < incoming.Length)
            {
                got += right.Receive(incoming.AsSpan(got));
            }
        }
    }

    /// <summary>System.Net.Sockets, async calls.</summary>
    internal static async Task OverSocketsAsync(Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds)
    {
        for (long i = 0; i < rounds; i++)
        {
            var receive = right.ReceiveAsync(incoming.AsMemory(), SocketFlags.None);
            await left.SendAsync(outgoing.AsMemory(), SocketFlags.None);
            var got = await receive;
            while (got < incoming.Length)
            {
                got += await right.ReceiveAsync(incoming.AsMemory(got), SocketFlags.None);
            }
        }
    }
}
