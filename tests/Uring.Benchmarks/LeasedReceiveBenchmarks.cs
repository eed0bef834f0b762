using System.Net.Sockets;
using BenchmarkDotNet.Attributes;

namespace Uring.Benchmarks;

/// <summary>
/// Multishot receive throughput over a socketpair, copied (<see cref="Ring.SubmitRecvMultishot(FileDescriptor, int, int, object?, MessageFlags, int)"/>: a
/// new <c>byte[]</c> per leg) against leased (<see cref="Ring.SubmitRecvMultishotLeased(FileDescriptor, int, int, object?, MessageFlags, int)"/>: the
/// provided buffer itself, disposed after use). One operation = one chunk sent with a blocking
/// <c>send</c> and reaped in full from the ring; both modes read one byte of every leg. Each mode
/// keeps one multishot receive armed across invocations (re-armed if the kernel ends it), so the
/// figures are the steady state.
/// </summary>
[MemoryDiagnoser]
public class LeasedReceiveBenchmarks
{
    private const int Chunks = 64;

    private Socket _copyWriter = null!;
    private Socket _copyReader = null!;
    private Socket _leaseWriter = null!;
    private Socket _leaseReader = null!;
    private Ring _copyRing = null!;
    private Ring _leaseRing = null!;
    private byte[] _chunk = null!;

    /// <summary>Bytes per send, and the size of each provided buffer.</summary>
    [Params(4096, 65536)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_copyWriter, _copyReader) = SocketPair.Create();
        (_leaseWriter, _leaseReader) = SocketPair.Create();
        _copyWriter.SendBufferSize = _leaseWriter.SendBufferSize = 4 * ChunkSize;
        _copyRing = new Ring(8);
        _leaseRing = new Ring(8);
        _chunk = new byte[ChunkSize];
        new Random(1).NextBytes(_chunk);
        Arm(copy: true);
        Arm(copy: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _copyRing.Dispose();
        _leaseRing.Dispose();
        _copyWriter.Dispose();
        _copyReader.Dispose();
        _leaseWriter.Dispose();
        _leaseReader.Dispose();
    }

    /// <summary>Each leg copied into a new array (the default mode).</summary>
    [Benchmark(OperationsPerInvoke = Chunks, Baseline = true)]
    public long Copied()
    {
        long sum = 0;
        for (var i = 0; i < Chunks; i++)
        {
            _copyWriter.Send(_chunk);
            for (var received = 0; received < ChunkSize;)
            {
                var leg = _copyRing.Wait()!.Value;
                if (leg.Res > 0)
                {
                    sum += leg.Data.Span[0];
                    received += leg.Res;
                }

                if (!leg.HasMore)
                {
                    Arm(copy: true);
                }
            }
        }

        return sum;
    }

    /// <summary>Each leg leased from the provided buffer and disposed after reading it.</summary>
    [Benchmark(OperationsPerInvoke = Chunks)]
    public long Leased()
    {
        long sum = 0;
        for (var i = 0; i < Chunks; i++)
        {
            _leaseWriter.Send(_chunk);
            for (var received = 0; received < ChunkSize;)
            {
                var leg = _leaseRing.Wait()!.Value;
                if (leg.Lease is { } lease)
                {
                    sum += lease.GetSpan()[0];
                    received += lease.Length;
                    lease.Dispose();
                }

                if (!leg.HasMore)
                {
                    Arm(copy: false);
                }
            }
        }

        return sum;
    }

    private void Arm(bool copy)
    {
        if (copy)
        {
            _copyRing.SubmitRecvMultishot(_copyReader, ChunkSize, 16);
        }
        else
        {
            _leaseRing.SubmitRecvMultishotLeased(_leaseReader, ChunkSize, 16);
        }
    }
}
