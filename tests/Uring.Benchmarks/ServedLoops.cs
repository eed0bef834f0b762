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
    /// <summary>Submits <paramref name="batch"/> NOPs with one flush, and the next batch once all of them were served, <paramref name="total"/> in all.</summary>
    internal static void Nops(Ring ring, int batch, long total, bool batched)
    {
        long served = 0;
        void SubmitBatch()
        {
            for (var i = 0; i < batch; i++)
            {
                ring.SubmitNop();
            }

            ring.Flush();
        }

        void Served(int count)
        {
            served += count;
            if (served % batch != 0)
            {
                return;
            }

            if (served >= total)
            {
                ring.StopServing();
            }
            else
            {
                SubmitBatch();
            }
        }

        Serve(ring, batched, Served, SubmitBatch);
    }

    /// <summary>
    /// <see cref="PingPongRounds.OverRing"/> served: each round a receive on <paramref name="right"/>
    /// and a send from <paramref name="left"/>, one flush; the next round once both were served.
    /// </summary>
    internal static void PingPong(Ring ring, Socket left, Socket right, byte[] outgoing, byte[] incoming, long rounds, bool batched)
    {
        long served = 0;
        void SubmitRound()
        {
            ring.SubmitRecv(right, incoming, null, MessageFlags.WaitAll);
            ring.SubmitSend(left, outgoing);
            ring.Flush();
        }

        void Served(int count)
        {
            served += count;
            if (served % 2 != 0)
            {
                return;
            }

            if (served / 2 >= rounds)
            {
                ring.StopServing();
            }
            else
            {
                SubmitRound();
            }
        }

        Serve(ring, batched, Served, SubmitRound);
    }

    private static void Serve(Ring ring, bool batched, Action<int> served, Action start)
    {
        ring.Callback = batched ? null : _ => served(1);
        ring.BatchCallback = batched ? completions => served(completions.Length) : null;
        start();
        ring.ServeCompletions();
        ring.ResetServing();
    }
}
