using Uring.Native;

namespace Uring;

public sealed partial class Ring
{
    private int _outstandingLeases;
    private long _leakedLeases;

    /// <summary>Leases handed out by leased multishot receives and not disposed yet (a diagnostic that returns to 0 when every lease was disposed).</summary>
    public int OutstandingLeases => Volatile.Read(ref _outstandingLeases);

    /// <summary>Leases nobody disposed, returned by their finalizer (also the <c>uring.receive.leases.leaked</c> counter); stays 0 in a correct program.</summary>
    public long LeakedLeases => Interlocked.Read(ref _leakedLeases);

    /// <summary>
    /// Keeps receiving from <paramref name="fd"/> like <see cref="SubmitRecvMultishot(FileDescriptor, int, int, object?, MessageFlags, int)"/>, but without
    /// copying: each completion with data carries a <see cref="ReceivedLease"/> (in
    /// <see cref="Completion.Lease"/>, also its <see cref="Completion.Result"/>) over the provided buffer
    /// the kernel received into. The receiver must dispose every lease; disposing gives the buffer back
    /// to the kernel, from any thread, also after the operation ended or the ring was disposed.
    /// Completions are of kind <see cref="CompletionKind.RecvMultishotLeased"/>, numbered by
    /// <see cref="Completion.Sequence"/> from 0.
    /// </summary>
    /// <remarks>
    /// Backpressure: while leases are held their buffers are out of the kernel's reach; with all
    /// <paramref name="bufferCount"/> of them leased the kernel ends the request with
    /// <see cref="Errno.ENOBUFS"/> (the data stays in the socket, none is lost). Submit again — a new
    /// request gets fresh buffers — once the leases you hold no longer pin all the memory you want to
    /// spend; <see cref="RecvMultishotLeasedAsync(FileDescriptor, int, int, MessageFlags, CancellationToken)"/> does that by itself. The last completion has no
    /// <see cref="Completion.HasMore"/> (end of stream, an error, ENOBUFS, or ECANCELED); then the
    /// buffer ring is unregistered, and its memory is freed once its last lease is disposed.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="bufferCount"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now (or all 65,536 buffer groups are in use).</exception>
    /// <exception cref="UringException">The kernel refused the buffer ring.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitRecvMultishotLeased(FileDescriptor fd, int bufferSize = 4096, int bufferCount = 64, object? userData = null, MessageFlags flags = MessageFlags.None, int baseSequence = 0) =>
        Submit(CompletionKind.RecvMultishotLeased, userData, ReceiveBuffers(fd, bufferSize, bufferCount, flags), PrepareRecvMultishot, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>
    /// Keeps receiving without copying, as an async stream of completions (see
    /// <see cref="SubmitRecvMultishotLeased(FileDescriptor, int, int, object?, MessageFlags, int)"/>): each leg's <see cref="Completion.Lease"/> in order, which
    /// the consumer must dispose, ending with the final completion (end of stream: <see cref="Completion.Res"/>
    /// 0; or an error). When the kernel stops the request without an end the stream re-arms it with
    /// fresh buffers, losing no data: at once after a CQ overflow, and after ENOBUFS (every buffer
    /// leased) only once one of the leases has been disposed — so a consumer that keeps all
    /// <paramref name="bufferCount"/> leases while it waits for the next leg waits forever: dispose
    /// leases as you go, or ask for more buffers than you hold at once. Leaving the loop early cancels
    /// the receive, and disposes the leases of the legs it did not yield.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> or <paramref name="bufferCount"/> is out of range.</exception>
    public IAsyncEnumerable<Completion> RecvMultishotLeasedAsync(FileDescriptor fd, int bufferSize = 4096, int bufferCount = 64, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.RecvMultishotLeased, ReceiveBuffers(fd, bufferSize, bufferCount, flags), PrepareRecvMultishot, static leg => leg.Res > 0 || leg.Error == Errno.ENOBUFS, cancellationToken);

    /// <summary>
    /// A leased leg's payload: a lease over the buffer the kernel chose (nothing copied); an error or
    /// end-of-stream CQE that still carries a buffer recycles it at once. A final ENOBUFS carries the
    /// exhausted buffer ring instead (hidden: <see cref="Completion.Result"/> is null on errors), so that
    /// <see cref="StreamAsync"/> can wait for a lease to come back before it re-arms.
    /// </summary>
    private object? LeaseReceived(OperationSlot slot, in CompletionQueueEntry entry)
    {
        if (slot.BufferRing is not { } buffers)
        {
            return null;
        }

        if ((entry.Flags & CompletionFlags.Buffer) != 0)
        {
            if (entry.Result > 0)
            {
                buffers.Lease();
                Interlocked.Increment(ref _outstandingLeases);
                return new ReceivedLease(this, buffers, entry.BufferId, Math.Min(entry.Result, buffers.BufferSize));
            }

            buffers.Recycle(entry.BufferId);
        }

        return entry.Result == -(int)Errno.ENOBUFS ? buffers : null;
    }

    /// <summary>
    /// A lease was disposed — or finalized (<paramref name="leaked"/>): then the leak is counted and
    /// logged, and the buffer goes back to the kernel but the memory is never freed, because a
    /// <see cref="Span{T}"/> taken from the lease may still be in use (spans do not keep the lease reachable).
    /// </summary>
    internal void ReturnLease(ProvidedBufferRing buffers, ushort bufferId, bool leaked)
    {
        if (leaked)
        {
            Interlocked.Increment(ref _leakedLeases);
            UringMetrics.LeasesLeaked.Add(1);
            ReportLeakedLease(buffers.GroupId, bufferId);
        }

        buffers.ReturnLease(bufferId, keepMemory: leaked);
        Interlocked.Decrement(ref _outstandingLeases);
    }

    /// <summary>Logs a leak from the finalizer thread; a logger that fails there (disposed at shutdown) must not take the process down.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "Runs on the finalizer thread, where an exception would end the process.")]
    private void ReportLeakedLease(ushort groupId, ushort bufferId)
    {
        try
        {
            RingLog.LeaseLeaked(_logger, _raw.Fd, groupId, bufferId);
        }
        catch (Exception)
        {
            // The leak is still counted.
        }
    }
}
