using BenchmarkDotNet.Attributes;
using Uring.Native;
using Uring.Ops;

namespace Uring.Benchmarks;

/// <summary>
/// NOP submit + reap, per operation, in batches of 1, 8 and 64: the cost of the ring itself. One
/// <c>io_uring_enter</c> per batch (a NOP completes inside it), then the batch's completions are reaped.
/// </summary>
[MemoryDiagnoser]
public class NopRoundTripBenchmarks
{
    private const int OperationsPerInvoke = 1024;

    private readonly CompletionQueueEntry[] _completions = new CompletionQueueEntry[64];
    private RawRing _raw = null!;
    private Ring _ring = null!;

    [Params(1, 8, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _raw = new RawRing(64);
        _ring = new Ring(new RingOptions { Entries = 64, MaxInFlight = 128 }) { AutoSubmit = false };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _ring.Dispose();
    }

    /// <summary>The low-level API: struct operations, ulong user data, batch reaping into a span.</summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int RawRing()
    {
        var reaped = 0;
        for (var done = 0; done < OperationsPerInvoke; done += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                _raw.TryPrepare(new NopOperation(), (ulong)i);
            }

            _raw.SubmitAndWait(Batch);
            var got = 0;
            while (got < Batch)
            {
                got += _raw.ReapCompletions(_completions);
            }

            reaped += got;
        }

        return reaped;
    }

    /// <summary>The object API: slots, object user data, one <see cref="Ring.Flush"/> per batch, <see cref="Ring.Wait"/> per completion.</summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke, Baseline = true)]
    public int Ring()
    {
        var reaped = 0;
        for (var done = 0; done < OperationsPerInvoke; done += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                _ring.SubmitNop();
            }

            _ring.Flush();
            for (var i = 0; i < Batch; i++)
            {
                reaped += _ring.Wait(TimeSpan.Zero) is null ? 0 : 1;
            }
        }

        return reaped;
    }
}
