using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Uring.Native;
using Uring.Ops;

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
    public void RawRing()
    {
        int left = (int)_left.Handle, right = (int)_right.Handle;
        for (var i = 0; i < Rounds; i++)
        {
            _raw.TryPrepare(new RecvOperation(right, _pinnedIn.Address, (uint)Size, MessageFlags.WaitAll), 1);
            _raw.TryPrepare(new SendOperation(left, _pinnedOut.Address, (uint)Size, MessageFlags.NoSignal), 2);
            _raw.SubmitAndWait(2);
            var got = _raw.ReapCompletions(_completions);
            while (got < 2)
            {
                _raw.WaitForCompletions(1);
                got += _raw.ReapCompletions(_completions);
            }
        }
    }

    /// <summary>The object API: byte arrays pinned per operation, one flush per round trip, two waits.</summary>
    [Benchmark(OperationsPerInvoke = Rounds, Baseline = true)]
    public void Ring()
    {
        for (var i = 0; i < Rounds; i++)
        {
            _ring.SubmitRecv(_right, _incoming, null, MessageFlags.WaitAll);
            _ring.SubmitSend(_left, _outgoing);
            _ring.Flush();
            _ring.Wait();
            _ring.Wait();
        }
    }

    /// <summary>The awaitable API with inline continuations (completed on the completion thread).</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public async Task AwaitedInline()
    {
        for (var i = 0; i < Rounds; i++)
        {
            var receive = _asyncRing.RecvAsync(_right, _incoming, MessageFlags.WaitAll);
            await _asyncRing.SendAsync(_left, _outgoing);
            await receive;
        }

        await Task.Yield(); // leave the completion thread before the next invocation
    }

    /// <summary>System.Net.Sockets, blocking calls.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public void SocketsSync()
    {
        for (var i = 0; i < Rounds; i++)
        {
            _left.Send(_outgoing);
            var got = 0;
            while (got < Size)
            {
                got += _right.Receive(_incoming.AsSpan(got));
            }
        }
    }

    /// <summary>System.Net.Sockets, async calls.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public async Task SocketsAsync()
    {
        for (var i = 0; i < Rounds; i++)
        {
            var receive = _right.ReceiveAsync(_incoming.AsMemory(), SocketFlags.None);
            await _left.SendAsync(_outgoing.AsMemory(), SocketFlags.None);
            var got = await receive;
            while (got < Size)
            {
                got += await _right.ReceiveAsync(_incoming.AsMemory(got), SocketFlags.None);
            }
        }
    }
}
