using System.Collections.Concurrent;
using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>The largest buffer a multishot receive may ask for.</summary>
    public const int MaxReceiveBufferSize = 1 << 24;

    /// <summary>The most buffers (and provided-buffer ring entries) one multishot receive may ask for.</summary>
    public const int MaxReceiveBufferCount = 32768;

    private readonly BufferGroupIds _bufferGroups = new();

    /// <summary>Buffer rings whose operation ended on a thread that may not call io_uring_register (SingleIssuer); unregistered by the next submission.</summary>
    private readonly ConcurrentQueue<ProvidedBufferRing> _unregisterLater = new();

    /// <summary>Provided-buffer rings registered with the kernel now (a diagnostic that returns to 0 when no multishot receive is active).</summary>
    public int RegisteredBufferRings => _bufferGroups.InUse;

    /// <summary>
    /// Keeps receiving from <paramref name="fd"/> (<c>IORING_RECV_MULTISHOT</c>, 6.0) into an internal
    /// provided-buffer ring of <paramref name="bufferCount"/> buffers of <paramref name="bufferSize"/>
    /// bytes, registered for this operation alone. Each completion's data is copied out into
    /// <see cref="Completion.Data"/> (also its <see cref="Completion.Result"/>) and the buffer goes back
    /// to the kernel at once; legs are numbered by <see cref="Completion.Sequence"/> from 0. The last
    /// completion has no <see cref="Completion.HasMore"/>: end of stream (0 bytes), an error, ENOBUFS
    /// when the reaper fell behind and every buffer was taken, or ECANCELED. Then the buffer ring is
    /// unregistered and freed; submit again to keep receiving. <see cref="SubmitRecvMultishotLeased(FileDescriptor, int, int, object?, MessageFlags, int)"/>
    /// hands out the provided buffers themselves instead of copies.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="bufferCount"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now (or all 65,536 buffer groups are in use).</exception>
    /// <exception cref="UringException">The kernel refused the buffer ring.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitRecvMultishot(FileDescriptor fd, int bufferSize = 4096, int bufferCount = 64, object? userData = null, MessageFlags flags = MessageFlags.None, int baseSequence = 0) =>
        Submit(CompletionKind.RecvMultishot, userData, ReceiveBuffers(fd, bufferSize, bufferCount, flags), PrepareRecvMultishot, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>
    /// Keeps receiving, as an async stream of completions (see <see cref="SubmitRecvMultishot(FileDescriptor, int, int, object?, MessageFlags, int)"/>): each
    /// leg's <see cref="Completion.Data"/> in order, numbered across the stream, ending with the final
    /// completion (end of stream: <see cref="Completion.Res"/> 0; or an error). When the kernel stops the
    /// request without an end — the CQ overflowed, or every buffer was taken (ENOBUFS) — the stream
    /// re-arms it, losing no data. Cancelling or leaving the loop cancels the receive and waits for
    /// its final completion.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="bufferCount"/> is out of range.</exception>
    public IAsyncEnumerable<Completion> RecvMultishotAsync(FileDescriptor fd, int bufferSize = 4096, int bufferCount = 64, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.RecvMultishot, ReceiveBuffers(fd, bufferSize, bufferCount, flags), PrepareRecvMultishot, static leg => leg.Res > 0 || leg.Error == Errno.ENOBUFS, cancellationToken);

    private (Ring Ring, FileDescriptor Fd, int Size, int Count, MessageFlags Flags) ReceiveBuffers(FileDescriptor fd, int bufferSize, int bufferCount, MessageFlags flags)
    {
        RequireBufferShape(bufferSize, bufferCount);
        return (this, fd, bufferSize, bufferCount, flags);
    }

    private static void RequireBufferShape(int bufferSize, int bufferCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bufferSize, MaxReceiveBufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bufferCount, MaxReceiveBufferCount);
    }

    private static RecvMultishotOperation PrepareRecvMultishot(OperationSlot slot, in (Ring Ring, FileDescriptor Fd, int Size, int Count, MessageFlags Flags) a)
    {
        var socket = slot.Reference(a.Fd, "fd");
        slot.BufferRing = a.Ring.RegisterBufferRing(a.Size, a.Count);
        return new RecvMultishotOperation(socket, slot.BufferRing.GroupId, a.Flags);
    }

    /// <summary>Registers a buffer ring under a fresh group id, on the submitting thread (SingleIssuer applies to io_uring_register too).</summary>
    private ProvidedBufferRing RegisterBufferRing(int bufferSize, int bufferCount)
    {
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            UnregisterDeferredBufferRings();
            if (!_bufferGroups.TryRent(out var groupId))
            {
                throw new SubmissionQueueFullException("All 65,536 provided-buffer groups are in use by multishot receives; let some end first.");
            }

            try
            {
                return ProvidedBufferRing.Register(_raw.Kernel, groupId, bufferSize, bufferCount);
            }
            catch
            {
                _bufferGroups.Return(groupId);
                throw;
            }
        }
    }

    /// <summary>Returns a slot to the table, first detaching and releasing its buffer ring.</summary>
    private void ReleaseSlot(OperationSlot slot)
    {
        if (slot.Pool is { } pool)
        {
            slot.Pool = null;
            slot.BufferRing = null; // the pool's: released by the pool, not per receive
            EndPoolReceive(pool);
        }
        else if (slot.BufferRing is { } bufferRing)
        {
            slot.BufferRing = null;
            if (MaySubmitHere)
            {
                Unregister(bufferRing);
            }
            else
            {
                _unregisterLater.Enqueue(bufferRing);
            }
        }

        _slots.Return(slot);
    }

    /// <summary>Unregisters buffer rings released on a thread that could not; called by the submitting thread.</summary>
    private void UnregisterDeferredBufferRings()
    {
        while (_unregisterLater.TryDequeue(out var bufferRing))
        {
            Unregister(bufferRing);
        }
    }

    /// <summary>
    /// Unregisters, then drops the registration's reference: the memory is freed now, or when the
    /// last lease over it is disposed (see <see cref="ProvidedBufferRing"/>). If the kernel refuses,
    /// the memory is leaked rather than freed under it.
    /// </summary>
    private void Unregister(ProvidedBufferRing bufferRing)
    {
        var result = bufferRing.Unregister(_raw.Kernel);
        if (result < 0)
        {
            RingLog.BufferRingLeaked(_logger, _raw.Fd, bufferRing.GroupId, (Errno)(-result));
            return;
        }

        bufferRing.Release();
        _bufferGroups.Return(bufferRing.GroupId);
    }

    /// <summary>
    /// After the ring was closed with every operation drained: buffer rings still waiting for the
    /// submitter thread to unregister them need no unregistering any more — the kernel drops a
    /// ring's registrations with the ring, and no request can use them — so drop their
    /// registration's reference (freeing them, or leaving that to their last lease).
    /// </summary>
    private void ForgetDeferredBufferRings()
    {
        while (_unregisterLater.TryDequeue(out var bufferRing))
        {
            bufferRing.Release();
            _bufferGroups.Return(bufferRing.GroupId);
        }
    }
}
