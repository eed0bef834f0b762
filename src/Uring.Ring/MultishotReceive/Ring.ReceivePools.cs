using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>Pools registered and not yet retired; the ring retires them when it closes.</summary>
    private readonly List<ReceiveBufferPool> _pools = [];

    /// <summary>
    /// Registers <paramref name="bufferCount"/> buffers of <paramref name="bufferSize"/> bytes as a
    /// pool that any number of multishot receives on this ring share, instead of each registering
    /// buffers of its own: the memory a server spends on receiving then follows the data in flight,
    /// not its connection count. Call it on the submitting thread of a SingleIssuer ring.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="bufferCount"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">All 65,536 buffer groups are in use.</exception>
    /// <exception cref="UringException">The kernel refused the buffer ring.</exception>
    public ReceiveBufferPool RegisterReceiveBufferPool(int bufferSize = 4096, int bufferCount = 1024)
    {
        RequireBufferShape(bufferSize, bufferCount);
        var pool = new ReceiveBufferPool(this, RegisterBufferRing(bufferSize, bufferCount));
        lock (_pools)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>
    /// Keeps receiving from <paramref name="fd"/> like <see cref="SubmitRecvMultishot(FileDescriptor, int, int, object?, MessageFlags, int)"/>,
    /// taking buffers from the shared <paramref name="pool"/>: each leg is copied out and its buffer
    /// goes straight back to the pool. When the pool is momentarily empty the receive ends with
    /// ENOBUFS (no data lost): submit again.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pool"/> belongs to another ring.</exception>
    /// <exception cref="ObjectDisposedException">The ring, the pool, or the socket behind <paramref name="fd"/> is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitRecvMultishot(FileDescriptor fd, ReceiveBufferPool pool, object? userData = null, MessageFlags flags = MessageFlags.None, int baseSequence = 0) =>
        Submit(CompletionKind.RecvMultishot, userData, (fd, RequireOwnPool(pool), flags), PrepareRecvMultishotFromPool, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>The async stream form of <see cref="SubmitRecvMultishot(FileDescriptor, ReceiveBufferPool, object?, MessageFlags, int)"/>; re-arms after ENOBUFS by itself.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pool"/> belongs to another ring.</exception>
    public IAsyncEnumerable<Completion> RecvMultishotAsync(FileDescriptor fd, ReceiveBufferPool pool, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.RecvMultishot, (fd, RequireOwnPool(pool), flags), PrepareRecvMultishotFromPool, static leg => leg.Res > 0 || leg.Error == Errno.ENOBUFS, cancellationToken);

    /// <summary>
    /// Keeps receiving without copying, like <see cref="SubmitRecvMultishotLeased(FileDescriptor, int, int, object?, MessageFlags, int)"/>,
    /// taking buffers from the shared <paramref name="pool"/>: a lease held long starves every receive
    /// sharing the pool, not only its own.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pool"/> belongs to another ring.</exception>
    /// <exception cref="ObjectDisposedException">The ring, the pool, or the socket behind <paramref name="fd"/> is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitRecvMultishotLeased(FileDescriptor fd, ReceiveBufferPool pool, object? userData = null, MessageFlags flags = MessageFlags.None, int baseSequence = 0) =>
        Submit(CompletionKind.RecvMultishotLeased, userData, (fd, RequireOwnPool(pool), flags), PrepareRecvMultishotFromPool, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>The async stream form of <see cref="SubmitRecvMultishotLeased(FileDescriptor, ReceiveBufferPool, object?, MessageFlags, int)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pool"/> belongs to another ring.</exception>
    public IAsyncEnumerable<Completion> RecvMultishotLeasedAsync(FileDescriptor fd, ReceiveBufferPool pool, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.RecvMultishotLeased, (fd, RequireOwnPool(pool), flags), PrepareRecvMultishotFromPool, static leg => leg.Res > 0 || leg.Error == Errno.ENOBUFS, cancellationToken);

    private ReceiveBufferPool RequireOwnPool(ReceiveBufferPool pool, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(pool))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(pool, parameterName);
        if (!ReferenceEquals(pool.Ring, this))
        {
            throw new ArgumentException("The receive buffer pool was registered with another ring; register one with this ring.", parameterName);
        }

        return pool;
    }

    private static RecvMultishotOperation PrepareRecvMultishotFromPool(OperationSlot slot, in (FileDescriptor Fd, ReceiveBufferPool Pool, MessageFlags Flags) a)
    {
        var socket = slot.Reference(a.Fd, "fd");
        a.Pool.AddReceive();
        slot.Pool = a.Pool;
        slot.BufferRing = a.Pool.Buffers;
        return new RecvMultishotOperation(socket, a.Pool.Buffers.GroupId, a.Flags);
    }

    /// <summary>The pool's Dispose: forget it, and release its buffers unless receives still use them (the last one's end does).</summary>
    internal void RetirePool(ReceiveBufferPool pool)
    {
        lock (_pools)
        {
            _pools.Remove(pool);
        }

        if (pool.Retire())
        {
            ReleaseBufferRing(pool.Buffers);
        }
    }

    /// <summary>A receive that used <paramref name="pool"/> ended; the last one of a retired pool releases its buffers.</summary>
    private void EndPoolReceive(ReceiveBufferPool pool)
    {
        if (pool.RemoveReceive())
        {
            ReleaseBufferRing(pool.Buffers);
        }
    }

    /// <summary>
    /// Unregisters a buffer ring nothing will receive into any more — under the submit lock, so the
    /// kernel ring cannot be closed meanwhile — or, off the submitting thread or once the ring is
    /// closing, leaves it to the next submission or to <see cref="Dispose"/>.
    /// </summary>
    private void ReleaseBufferRing(ProvidedBufferRing bufferRing)
    {
        if (MaySubmitHere && !IsClosed)
        {
            lock (_submitLock)
            {
                if (!IsClosed)
                {
                    Unregister(bufferRing);
                    return;
                }
            }
        }

        _unregisterLater.Enqueue(bufferRing);
    }

    /// <summary>At close, after the drain: retires every pool still registered, so its buffers are forgotten with the others.</summary>
    private void RetirePools()
    {
        lock (_pools)
        {
            foreach (var pool in _pools)
            {
                if (pool.Retire())
                {
                    _unregisterLater.Enqueue(pool.Buffers);
                }
            }

            _pools.Clear();
        }
    }
}
