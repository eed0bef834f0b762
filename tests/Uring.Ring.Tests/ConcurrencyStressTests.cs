using System.Collections.Concurrent;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class ConcurrencyStressTests
{
    [RingFact]
    public void Four_submitting_threads_and_one_reaper_lose_and_duplicate_nothing_over_400000_operations()
    {
        const int Threads = 4;
        const int PerThread = 100_000;
        using var ring = new Ring(new RingOptions { Entries = 256, MaxInFlight = 1024 });
        var seen = new int[Threads * PerThread];
        var reaped = 0;
        var reaper = new BackgroundThread(() =>
        {
            while (reaped < Threads * PerThread)
            {
                if (ring.Wait(TimeSpan.FromSeconds(10)) is not { } completion)
                {
                    throw new TimeoutException($"no completion for 10 s after {reaped}");
                }

                Interlocked.Increment(ref seen[(int)completion.UserData!]);
                reaped++;
            }
        });
        var ids = Enumerable.Range(0, Threads * PerThread).Select(i => (object)i).ToArray(); // boxed once, up front
        var submitters = Enumerable.Range(0, Threads).Select(t => new BackgroundThread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var id = ids[(t * PerThread) + i];
                ServingTests.SubmitWithBackpressure(() => ring.SubmitNop(id));
            }
        })).ToList();

        Assert.All(submitters, s => Assert.True(s.Join(TimeSpan.FromSeconds(120))));
        Assert.True(reaper.Join(TimeSpan.FromSeconds(120)));
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact]
    public void Submitters_racing_dispose_get_object_disposed_or_a_drained_completion_never_a_crash()
    {
        for (var round = 0; round < 20; round++)
        {
            var (writer, reader) = SocketPair.Create();
            var ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 512 });
            var outcomes = new ConcurrentBag<string>();
            var submitters = Enumerable.Range(0, 3).Select(_ => new BackgroundThread(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    try
                    {
                        ring.SubmitRecv(reader, new byte[8]);
                        outcomes.Add("submitted");
                    }
                    catch (ObjectDisposedException)
                    {
                        outcomes.Add("disposed");
                    }
                    catch (SubmissionQueueFullException)
                    {
                        outcomes.Add("full");
                    }
                }
            })).ToList();

            ring.Dispose();

            Assert.All(submitters, s => Assert.True(s.Join(TimeSpan.FromSeconds(10))));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
            writer.Dispose();
            reader.Dispose();
        }
    }

    [RingFact]
    public void Cancels_racing_completions_from_several_threads_leave_exactly_one_final_completion_per_operation()
    {
        const int operationsPerThread = 3000;
        var pairs = Enumerable.Range(0, 8).Select(_ => SocketPair.Create()).ToList();
        pairs.ForEach(pair => pair.First.Blocking = false);
        using var ring = new Ring(new RingOptions { Entries = 256, MaxInFlight = 8192 });
        var handles = new ConcurrentDictionary<int, OperationHandle>();
        var finals = new ConcurrentDictionary<int, int>();
        var cancelCompletions = 0;
        var expectedCancels = -1; // known once the last cancel is submitted
        var nextId = 0;
        using var stop = new CancellationTokenSource();

        var reaper = new BackgroundThread(() =>
        {
            while (finals.Count < 3 * operationsPerThread || Volatile.Read(ref cancelCompletions) != Volatile.Read(ref expectedCancels))
            {
                switch (ring.Wait(TimeSpan.FromMilliseconds(200))?.UserData)
                {
                    case int id:
                        finals.AddOrUpdate(id, 1, (_, n) => n + 1);
                        break;
                    case "cancel":
                        Interlocked.Increment(ref cancelCompletions);
                        break;
                }
            }
        });
        var writer = new BackgroundThread(() =>
        {
            var random = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                // Non-blocking: a pair whose receives were all cancelled fills up, and a blocked
                // writer would never see the stop.
                pairs[random.Next(pairs.Count)].First.Send(new byte[] { 1 }, SocketFlags.None, out _);
                Thread.SpinWait(50);
            }
        });
        var cancels = 0;
        var submitters = Enumerable.Range(0, 3).Select(seed => new BackgroundThread(() =>
        {
            var random = new Random(seed + 10);
            for (var i = 0; i < operationsPerThread; i++)
            {
                var id = Interlocked.Increment(ref nextId);
                var handle = Retry(() => ring.SubmitRecv(pairs[random.Next(pairs.Count)].Second, new byte[8], id));
                handles[id] = handle;
                if (random.Next(2) == 0)
                {
                    Retry(() => ring.SubmitCancel(handle, "cancel")); // races the receive's own completion
                    Interlocked.Increment(ref cancels);
                }
            }
        })).ToList();

        Assert.All(submitters, submitter => Assert.True(submitter.Join(TimeSpan.FromSeconds(60))));
        stop.Cancel();
        Assert.True(writer.Join(TimeSpan.FromSeconds(10)));
        foreach (var (id, handle) in handles)
        {
            if (!finals.ContainsKey(id))
            {
                Retry(() => ring.SubmitCancel(handle, "cancel")); // what no data reached: cancel it now
                cancels++;
            }
        }

        Volatile.Write(ref expectedCancels, cancels);
        Assert.True(reaper.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(3 * operationsPerThread, finals.Count);
        Assert.All(finals, final => Assert.Equal(1, final.Value));
        Assert.Equal(cancels, cancelCompletions);
        Assert.Equal(0, ring.StaleCompletions);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        foreach (var (left, right) in pairs)
        {
            left.Dispose();
            right.Dispose();
        }
    }

    private static OperationHandle Retry(Func<OperationHandle> submit)
    {
        while (true)
        {
            try
            {
                return submit();
            }
            catch (SubmissionQueueFullException)
            {
                Thread.Sleep(1); // backpressure: the reaper frees room
            }
        }
    }
}
