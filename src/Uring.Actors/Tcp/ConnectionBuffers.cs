namespace Uring.Actors.Tcp;

/// <summary>
/// A connection's own receive buffers: one provided-buffer group registered on the connection's
/// ring when it first reads, and kept across every re-armed receive until the connection stops. A
/// receive the kernel ended (ENOBUFS, or a multishot it stopped) re-arms onto the same buffers —
/// no <c>io_uring_register</c>, and memory already mapped — and leases held across re-arms count
/// against the same <c>receive-buffer-count</c>, so a connection never holds more.
/// <para>Threads: <see cref="PoolOn"/> runs on the ring's loop (inside a submission).
/// <see cref="Retire"/> runs on the connection's thread when it stops and hands the pool's disposal
/// to the loop, where the buffers are unregistered at once if no receive uses them any more (a
/// SINGLE_ISSUER ring takes <c>io_uring_register</c> from its loop alone). A submission that runs
/// after the retirement registers nothing.</para>
/// </summary>
internal sealed class ConnectionBuffers(int bufferSize, int bufferCount, RingLoop loop) : IRingWork
{
    private readonly Lock _gate = new();
    private ReceiveBufferPool? _pool;
    private ReceiveBufferPool? _retiring;
    private bool _retired;

    /// <summary>The buffers on <paramref name="ring"/>: registered on first use, and again on a new ring after the old one restarted. On the ring's loop.</summary>
    /// <exception cref="ObjectDisposedException">The connection has stopped.</exception>
    internal ReceiveBufferPool PoolOn(Ring ring)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_retired, this);
            if (_pool is { } pool && ReferenceEquals(pool.Ring, ring) && !pool.IsDisposed)
            {
                return pool;
            }

            return _pool = ring.RegisterReceiveBufferPool(bufferSize, bufferCount);
        }
    }

    /// <summary>The connection stopped: the buffers are unregistered and freed once the receive using them has ended (and every lease over them is disposed).</summary>
    internal void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            _retiring = _pool;
            _pool = null;
        }

        if (_retiring is null)
        {
            return;
        }

        try
        {
            loop.Post(this);
        }
        catch (Akka.Dispatch.RejectedExecutionException)
        {
            ((IRingWork)this).Abandon(); // the loop is gone: its ring retires its pools as it closes
        }
    }

    /// <inheritdoc />
    void IRingWork.Run(Ring ring) => _retiring?.Dispose();

    /// <inheritdoc />
    void IRingWork.Abandon() => _retiring?.Dispose();
}
