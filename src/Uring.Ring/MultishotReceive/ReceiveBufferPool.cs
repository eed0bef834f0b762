using Uring.Native;

namespace Uring;

/// <summary>
/// A provided-buffer ring that many multishot receives of one <see cref="Ring"/> share
/// (<see cref="Ring.RegisterReceiveBufferPool"/>): the kernel takes a buffer from it for whichever
/// connection has data, so memory grows with the data in flight, not with the number of
/// connections. Pass it to <see cref="Ring.SubmitRecvMultishot(FileDescriptor, ReceiveBufferPool, object?, MessageFlags, int)"/>,
/// <see cref="Ring.SubmitRecvMultishotLeased(FileDescriptor, ReceiveBufferPool, object?, MessageFlags, int)"/> or their async forms.
/// </summary>
/// <remarks>
/// When every buffer is taken at once (the reaper fell behind, or leases are held) the kernel ends
/// the receives that find none with <see cref="Errno.ENOBUFS"/>, losing no data; submit them again.
/// <see cref="Dispose"/> retires the pool: no new receive may use it, and it is unregistered and
/// freed once the receives using it have ended (and, in leased mode, their leases are disposed).
/// Disposing the ring retires its pools too.
/// </remarks>
public sealed class ReceiveBufferPool : IDisposable
{
    private readonly Lock _users = new();
    private int _receives;
    private bool _retired;

    internal ReceiveBufferPool(Ring ring, ProvidedBufferRing buffers)
    {
        Ring = ring;
        Buffers = buffers;
    }

    /// <summary>The size of each buffer in bytes.</summary>
    public int BufferSize => Buffers.BufferSize;

    /// <summary>The number of buffers.</summary>
    public int BufferCount => Buffers.BufferCount;

    /// <summary>Multishot receives using the pool now.</summary>
    public int Receives
    {
        get
        {
            lock (_users)
            {
                return _receives;
            }
        }
    }

    /// <summary>True once <see cref="Dispose"/> was called (or the ring closed).</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_users)
            {
                return _retired;
            }
        }
    }

    internal Ring Ring { get; }

    internal ProvidedBufferRing Buffers { get; }

    /// <summary>Retires the pool: refuses new receives; unregisters and frees it once the receives using it ended. Idempotent, any thread.</summary>
    public void Dispose() => Ring.RetirePool(this);

    /// <summary>Counts one more receive; refuses a retired pool.</summary>
    internal void AddReceive()
    {
        lock (_users)
        {
            ObjectDisposedException.ThrowIf(_retired, this);
            _receives++;
        }
    }

    /// <summary>A receive ended; true when that was the last one of a retired pool (the caller releases the buffers).</summary>
    internal bool RemoveReceive()
    {
        lock (_users)
        {
            return --_receives == 0 && _retired;
        }
    }

    /// <summary>Marks the pool retired; true when no receive uses it (the caller releases the buffers), false if already retired or still in use.</summary>
    internal bool Retire()
    {
        lock (_users)
        {
            if (_retired)
            {
                return false;
            }

            _retired = true;
            return _receives == 0;
        }
    }
}
