using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Uring.Native;

namespace Uring.Benchmarks;

/// <summary>
/// Socketpair ping-pong per round trip (one send, one receive), through each API beside
/// System.Net.Sockets, with allocations per round trip from <c>[MemoryDiagnoser]</c>. Every ring,
/// buffer and socket is created once in setup, so the figures are the steady state.
/// </summary>
[MemoryDiagnoser]
public class PingPongBenchmarks
{
    private const int Rounds = 256;

    private readonly CompletionQueueEntry[] _completions = new CompletionQueueEntry[8];
    private Socket _left = null!;
    private Socket _right = null!;
    private RawRing _raw = null!;
    private PinnedBuffer _pinnedOut = null!;
    private PinnedBuffer _pinnedIn = null!;
    private Ring _ring = null!;
    private Ring _asyncRing = null!;
    private CompletionThread _completionThread = null!;
    private byte[] _outgoing = null!;
    private byte[] _incoming = null!;

    [Params(1, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_left, _right) = SocketPair.Create();
        _raw = new RawRing(8);
        _pinnedOut = new PinnedBuffer(Size);
        _pinnedIn = new PinnedBuffer(Size);
        _ring = new Ring(8) { AutoSubmit = false };
        _asyncRing = new Ring(new RingOptions { Entries = 8, InlineContinuations = true });
        _completionThread = _asyncRing.StartCompletionThread();
        _outgoing = GC.AllocateArray<byte>(Size, pinned: true);
        _incoming = GC.AllocateArray<byte>(Size, pinned: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _completionThread.Dispose();
        _asyncRing.Dispose();
        _ring.Dispose();
        _raw.Dispose();
        _left.Dispose();
        _right.Dispose();
    }

    /// <summary>The low-level API: struct operations on pre-pinned buffers, one enter per round trip.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public void RawRing() => PingPongRounds.OverRawRing(_raw, _left, _right, _pinnedOut, _pinnedIn, _completions, Rounds);

    /// <summary>The object API: byte arrays pinned per operation, one flush per round trip, two waits.</summary>
    [Benchmark(OperationsPerInvoke = Rounds, Baseline = true)]
    public void Ring() => PingPongRounds.OverRing(_ring, _left, _right, _outgoing, _incoming, Rounds);

    /// <summary>The awaitable API with inline continuations (completed on the completion thread).</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public Task AwaitedInline() => PingPongRounds.Awaited(_asyncRing, _left, _right, _outgoing, _incoming, Rounds);

    /// <summary>System.Net.Sockets, blocking calls.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public void SocketsSync() => PingPongRounds.OverSocketsSync(_left, _right, _outgoing, _incoming, Rounds);

    /// <summary>System.Net.Sockets, async calls.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public Task SocketsAsync() => PingPongRounds.OverSocketsAsync(_left, _right, _outgoing, _incoming, Rounds);
}
