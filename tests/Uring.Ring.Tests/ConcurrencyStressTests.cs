using System.Collections.Concurrent;
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
}
