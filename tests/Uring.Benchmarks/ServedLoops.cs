using System.Net.Sockets;

namespace Uring.Benchmarks;

/// <summary>
/// The NOP and ping-pong shapes served by <see cref="Ring.ServeCompletions"/> on the calling
/// thread, driven from the callback: with <see cref="Ring.Callback"/> (one call per completion) or
/// with <see cref="Ring.BatchCallback"/> (one call per reap). The ring must have
/// <c>AutoSubmit = false</c>; each run leaves it ready to serve again.
/// </summary>
internal static class ServedLoops
{
    /// <summary>Submits <paramref name="batch"/> NOPs with one flush, and the next batch once all of them were served, <paramref name="total"/> in all (rounded up to whole batches).</summary>
    internal static void Nops(Ring ring, int batch, long total, bool batched) =>
        Rounds(ring, batched, batch, (total + batch - 1) / batch, () =>
        {
            for (var i = 0; i < batch; i++)
            {
                ring.SubmitNop();
            }

            ring.Flush();
        });

    /// <summary>
    /// <see cref="PingPongRounds.OverRing"/> served: each round a receive on <paramref name="right"/>
    /// and a send from <paramref name="left"/>, one flush; the next round once both were served.
    /// </summary>
    internal static void PingPong(Ring ring, Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds, bool batched) =>
        Rounds(ring, batched, 2, rounds, () =>
        {
            ring.SubmitRecv(right, incoming, null, MessageFlags.WaitAll);
            ring.SubmitSend(left, outgoing);
            ring.Flush();
        });

    /// <summary>
    /// Serves <paramref name="rounds"/> rounds of <paramref name="perRound"/> completions each: the
    /// first submitted before serving, each next one from the callback that completes the last.
    /// </summary>
    private static void Rounds(Ring ring, bool batched, int perRound, long rounds, Action submitRound)
    {
        long served = 0;
        void Served(int count)
        {
            served += count;
            if (served % perRound != 0)
            {
                return;
            }

            if (served / perRound >= rounds)
            {
                ring.StopServing();
            }
            else
            {
                submitRound();
            }
        }

        ring.Callback = batched ? null : _ => Served(1);
        ring.BatchCallback = batched ? completions => Served(completions.Length) : null;
        submitRound();
        ring.ServeCompletions();
        ring.ResetServing();
    }
}
