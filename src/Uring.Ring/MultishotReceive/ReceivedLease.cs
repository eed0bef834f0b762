using System.Buffers;
using Uring.Native;

namespace Uring;

/// <summary>
/// One leg of a leased multishot receive (<see cref="Ring.SubmitRecvMultishotLeased(FileDescriptor, int, int, object?, MessageFlags, int)"/>): the bytes
/// the kernel received, left in the provided buffer it chose — no copy. <see cref="MemoryManager{T}.Memory"/>
/// (and <see cref="GetSpan"/>) show them; <see cref="Dispose()"/> gives the buffer back to the
/// kernel for the next receive. The receiver owns the lease and must dispose it, exactly once it no
/// longer reads the bytes (a second Dispose does nothing).
/// </summary>
/// <remarks>
/// <para>Until it is disposed the buffer is out of the kernel's reach: hold leases only as long as
/// needed, because a receive whose buffers are all leased ends with <see cref="Errno.ENOBUFS"/>.</para>
/// <para>After Dispose, <see cref="MemoryManager{T}.Memory"/>, <see cref="GetSpan"/> and <see cref="Pin"/>
/// throw <see cref="ObjectDisposedException"/>, and so does the <see cref="Memory{T}.Span"/> of a
/// <see cref="Memory{T}"/> taken earlier. Do not dispose while another thread still reads the bytes,
/// or while a <see cref="MemoryHandle"/> from <see cref="Pin"/> is in use: the buffer may be
/// refilled by the kernel at once.</para>
/// <para>A <see cref="Span{T}"/> from the lease does not keep the lease alive: keep the lease itself
/// referenced until you dispose it, after the last use of its spans.</para>
/// <para>A lease nobody disposed is returned by its finalizer, counted in
/// <see cref="Ring.LeakedLeases"/> and the <c>uring.receive.leases.leaked</c> counter, and logged as
/// a warning. That is late — until then the buffer is lost to the receive — and the buffer ring's
/// memory is then never freed (a stray span might still point into it).</para>
/// <para>Disposing is thread-safe and may happen on any thread, also after the receive ended or the
/// ring was disposed; the buffer memory is freed when the last lease over it is disposed.</para>
/// </remarks>
public sealed class ReceivedLease : MemoryManager<byte>, IDisposable
{
    private readonly Ring _ring;
    private readonly ProvidedBufferRing _buffers;
    private readonly ushort _bufferId;
    private int _disposed;

    /// <summary>Takes over buffer <paramref name="bufferId"/> of <paramref name="buffers"/> (the caller has counted the lease there).</summary>
    internal ReceivedLease(Ring ring, ProvidedBufferRing buffers, ushort bufferId, int length)
    {
        _ring = ring;
        _buffers = buffers;
        _bufferId = bufferId;
        Length = length;
    }

    /// <summary>
    /// Returns the buffer if nobody disposed the lease, and reports the leak. The object is
    /// unreachable, so no <see cref="Memory{T}"/> or <see cref="MemoryHandle"/> over it is alive —
    /// but a <see cref="Span{T}"/> from <see cref="GetSpan"/> does not keep its manager reachable
    /// (CA2015's warning), so buggy code may still read one. Hence the finalizer gives the buffer back
    /// to the kernel (the receive does not starve) yet never lets the memory be freed: the worst a
    /// stray span can then see is new data, never freed memory. Disposed leases have no such caveat.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2015", Justification = "Leak detection; the finalizer never frees the memory a stray Span may point to (see above).")]
    ~ReceivedLease() => Dispose(disposing: false);

    /// <summary>The number of bytes received.</summary>
    public int Length { get; }

    /// <summary>The provided buffer's id (the kernel's <c>IORING_CQE_BUFFER_SHIFT</c> bits), for diagnostics.</summary>
    public ushort BufferId => _bufferId;

    /// <summary>The buffer ring the lease's buffer belongs to (tests watch its memory being freed).</summary>
    internal ProvidedBufferRing Buffers => _buffers;

    /// <summary>True once the lease was disposed (its buffer is back with the kernel).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The received bytes, inside the provided buffer.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public override Memory<byte> Memory
    {
        get
        {
            ThrowIfDisposed();
            return CreateMemory(Length);
        }
    }

    /// <summary>The received bytes, inside the provided buffer.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public override Span<byte> GetSpan()
    {
        ThrowIfDisposed();
        return _buffers.Span(_bufferId, Length);
    }

    /// <summary>The address of byte <paramref name="elementIndex"/> (native memory, which never moves; pinning costs nothing). Valid until the lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elementIndex"/> is outside 0..<see cref="Length"/>.</exception>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        return _buffers.Pin(_bufferId, elementIndex, this);
    }

    /// <summary>Nothing to undo: the buffer is native memory.</summary>
    public override void Unpin()
    {
    }

    /// <summary>Gives the buffer back to the kernel. Idempotent and thread-safe.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Recycles the buffer exactly once; from the finalizer (<paramref name="disposing"/> false) it also reports the leak.</summary>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // a second Dispose must not hand the kernel the same buffer twice
        }

        _ring.ReturnLease(_buffers, _bufferId, leaked: !disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"ReceivedLease buffer={_bufferId} length={Length}{(IsDisposed ? " disposed" : string.Empty)}";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
