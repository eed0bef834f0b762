using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Reads from file <paramref name="fd"/> at <paramref name="offset"/> into <paramref name="buffer"/>
    /// (<c>IORING_OP_READ</c>, 5.6). The completion's <see cref="Completion.Result"/> is the byte count:
    /// fewer than asked near the end of the file, 0 at or past it. The buffer stays pinned until the completion.
    /// </summary>
    /// <param name="fd">The file: a <see cref="Microsoft.Win32.SafeHandles.SafeFileHandle"/> (for example from <see cref="SubmitOpenAt"/>), another <see cref="System.Runtime.InteropServices.SafeHandle"/>, or a raw fd.</param>
    /// <param name="buffer">Where the bytes go; at least one byte (a zero-byte read could not be told from end of file).</param>
    /// <param name="offset">The file offset; or -1 to read at the file's current position and advance it, as <c>read(2)</c> does (IORING_FEAT_RW_CUR_POS, 5.6).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative and not -1, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitRead(FileDescriptor fd, Memory<byte> buffer, long offset, object? userData = null) =>
        Submit(CompletionKind.Read, userData, (fd, RequireReadBuffer(buffer), RequireOffset(offset)), PrepareRead);

    /// <summary>Reads from a file at an offset; the async form of <see cref="SubmitRead"/>.</summary>
    /// <returns>The completion; its <see cref="Completion.Result"/> is the byte count (0 at end of file).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the read.</exception>
    public ValueTask<Completion> ReadAsync(FileDescriptor fd, Memory<byte> buffer, long offset, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Read, (fd, RequireReadBuffer(buffer), RequireOffset(offset)), PrepareRead, cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/> to file <paramref name="fd"/> at <paramref name="offset"/>
    /// (<c>IORING_OP_WRITE</c>, 5.6). The completion's <see cref="Completion.Result"/> is the byte count
    /// written; a short count (a full disk, a file size limit) means: write the rest again. The data
    /// stays pinned, not copied, until the completion.
    /// </summary>
    /// <param name="fd">The file.</param>
    /// <param name="data">The bytes to write; may be empty.</param>
    /// <param name="offset">The file offset; or -1 to write at the file's current position and advance it (IORING_FEAT_RW_CUR_POS). A file opened with <see cref="OpenFlags.Append"/> writes at its end either way.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative and not -1, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitWrite(FileDescriptor fd, ReadOnlyMemory<byte> data, long offset, object? userData = null) =>
        Submit(CompletionKind.Write, userData, (fd, data, RequireOffset(offset)), PrepareWrite);

    /// <summary>Writes to a file at an offset; the async form of <see cref="SubmitWrite"/>.</summary>
    /// <returns>The completion; its <see cref="Completion.Result"/> is the byte count written.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the write.</exception>
    public ValueTask<Completion> WriteAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Write, (fd, data, RequireOffset(offset)), PrepareWrite, cancellationToken);

    /// <summary>
    /// Reads from file <paramref name="fd"/> at <paramref name="offset"/>, scattering the bytes over
    /// 1 to 16 <paramref name="buffers"/> in order (<c>IORING_OP_READV</c>). <see cref="Completion.Result"/>
    /// is the total byte count (0 at end of file). The buffers stay pinned, and the iovec array lives
    /// in the operation's slot, until the completion.
    /// </summary>
    /// <param name="fd">The file.</param>
    /// <param name="buffers">1 to 16 buffers, filled one after the other.</param>
    /// <param name="offset">The file offset, or -1 for the current position (see <see cref="SubmitRead"/>).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> is empty or holds more than 16 buffers, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative and not -1, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitReadV(FileDescriptor fd, IReadOnlyList<Memory<byte>> buffers, long offset, object? userData = null) =>
        Submit(CompletionKind.ReadV, userData, (fd, RequireVector(buffers), RequireOffset(offset)), PrepareReadV);

    /// <summary>Reads from a file into several buffers; the async form of <see cref="SubmitReadV"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the read.</exception>
    public ValueTask<Completion> ReadVAsync(FileDescriptor fd, IReadOnlyList<Memory<byte>> buffers, long offset, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.ReadV, (fd, RequireVector(buffers), RequireOffset(offset)), PrepareReadV, cancellationToken);

    /// <summary>
    /// Writes 1 to 16 <paramref name="buffers"/>, one after the other, to file <paramref name="fd"/> at
    /// <paramref name="offset"/> (<c>IORING_OP_WRITEV</c>). <see cref="Completion.Result"/> is the total
    /// byte count written. The buffers stay pinned, and the iovec array lives in the operation's slot,
    /// until the completion.
    /// </summary>
    /// <param name="fd">The file.</param>
    /// <param name="buffers">1 to 16 buffers, written in order.</param>
    /// <param name="offset">The file offset, or -1 for the current position (see <see cref="SubmitWrite"/>).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> is empty or holds more than 16 buffers, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative and not -1, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitWriteV(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset, object? userData = null) =>
        Submit(CompletionKind.WriteV, userData, (fd, RequireVector(buffers), RequireOffset(offset)), PrepareWriteV);

    /// <summary>Writes several buffers to a file; the async form of <see cref="SubmitWriteV"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the write.</exception>
    public ValueTask<Completion> WriteVAsync(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.WriteV, (fd, RequireVector(buffers), RequireOffset(offset)), PrepareWriteV, cancellationToken);

    /// <summary>
    /// Flushes file <paramref name="fd"/> to its storage (<c>IORING_OP_FSYNC</c>): <c>fsync(2)</c>, or
    /// with <paramref name="dataOnly"/> <c>fdatasync(2)</c>, which skips metadata not needed to read
    /// the data back (timestamps). <see cref="Completion.Res"/> is 0 on success. Only writes that
    /// completed before this is submitted are covered: the ring does not order operations unless linked.
    /// </summary>
    /// <param name="fd">The file.</param>
    /// <param name="dataOnly">True for fdatasync.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitFsync(FileDescriptor fd, bool dataOnly = false, object? userData = null) =>
        Submit(CompletionKind.Fsync, userData, (fd, dataOnly), PrepareFsync);

    /// <summary>Flushes a file to storage; the async form of <see cref="SubmitFsync"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the flush.</exception>
    public ValueTask<Completion> FsyncAsync(FileDescriptor fd, bool dataOnly = false, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Fsync, (fd, dataOnly), PrepareFsync, cancellationToken);

    /// <summary>
    /// Allocates, or with <see cref="FallocateMode.PunchHole"/> frees, the blocks of file
    /// <paramref name="fd"/> from <paramref name="offset"/> for <paramref name="length"/> bytes
    /// (<c>IORING_OP_FALLOCATE</c>, 5.6). With <see cref="FallocateMode.None"/> a range ending past
    /// the end grows the file; <see cref="FallocateMode.KeepSize"/> leaves the size alone.
    /// <see cref="Completion.Res"/> is 0 on success, EOPNOTSUPP where the filesystem cannot do it.
    /// </summary>
    /// <param name="fd">The file.</param>
    /// <param name="offset">The range's start, 0 or more.</param>
    /// <param name="length">The range's length, more than 0.</param>
    /// <param name="mode">What to do; <see cref="FallocateMode.PunchHole"/> needs <see cref="FallocateMode.KeepSize"/> with it.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative, <paramref name="length"/> is not positive or the range passes <see cref="long.MaxValue"/>, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ArgumentException"><paramref name="mode"/> has unknown bits, or <see cref="FallocateMode.PunchHole"/> without <see cref="FallocateMode.KeepSize"/>.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitFallocate(FileDescriptor fd, long offset, long length, FallocateMode mode = FallocateMode.None, object? userData = null) =>
        Submit(CompletionKind.Fallocate, userData, Fallocation(fd, offset, length, mode), PrepareFallocate);

    /// <summary>Allocates or frees a file range; the async form of <see cref="SubmitFallocate"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the operation.</exception>
    public ValueTask<Completion> FallocateAsync(FileDescriptor fd, long offset, long length, FallocateMode mode = FallocateMode.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Fallocate, Fallocation(fd, offset, length, mode), PrepareFallocate, cancellationToken);

    private static Memory<byte> RequireReadBuffer(Memory<byte> buffer, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(buffer))] string? parameterName = null) =>
        buffer.IsEmpty
            ? throw new ArgumentException("The read buffer is empty; pass at least one byte (a zero-byte read cannot be told apart from end of file).", parameterName)
            : buffer;

    private static long RequireOffset(long offset, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(offset))] string? parameterName = null) =>
        offset >= -1
            ? offset
            : throw new ArgumentOutOfRangeException(parameterName, offset, "A file offset must be 0 or more, or -1 for the file's current position.");

    private static IReadOnlyList<TBuffer> RequireVector<TBuffer>(IReadOnlyList<TBuffer> buffers, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(buffers))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(buffers, parameterName);
        if (buffers.Count is 0 or > SlotScratch.MaxSegments)
        {
            throw new ArgumentException($"A vectored read or write takes 1 to {SlotScratch.MaxSegments} buffers; this one has {buffers.Count}. Join buffers, or split the transfer into several operations.", parameterName);
        }

        return buffers;
    }

    private static (FileDescriptor Fd, long Offset, long Length, FallocateMode Mode) Fallocation(FileDescriptor fd, long offset, long length, FallocateMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (length > long.MaxValue - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The range from offset {offset} for {length} bytes ends past the largest file offset.");
        }

        if ((mode & ~(FallocateMode.KeepSize | FallocateMode.PunchHole)) != 0)
        {
            throw new ArgumentException($"Unknown fallocate mode bits in {mode}; use KeepSize and PunchHole.", nameof(mode));
        }

        if ((mode & FallocateMode.PunchHole) != 0 && (mode & FallocateMode.KeepSize) == 0)
        {
            throw new ArgumentException("PunchHole requires KeepSize (the kernel refuses a hole that would change the size); pass FallocateMode.PunchHole | FallocateMode.KeepSize.", nameof(mode));
        }

        return (fd, offset, length, mode);
    }

    private static ReadOperation PrepareRead(OperationSlot slot, in (FileDescriptor Fd, Memory<byte> Buffer, long Offset) a) =>
        new(slot.Reference(a.Fd, "fd"), slot.Pin(a.Buffer), (uint)a.Buffer.Length, a.Offset);

    private static WriteOperation PrepareWrite(OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, long Offset) a) =>
        new(slot.Reference(a.Fd, "fd"), slot.Pin(a.Data), (uint)a.Data.Length, a.Offset);

    private static ReadVOperation PrepareReadV(OperationSlot slot, in (FileDescriptor Fd, IReadOnlyList<Memory<byte>> Buffers, long Offset) a)
    {
        var fd = slot.Reference(a.Fd, "fd");
        var (iovecs, count) = PinVector(slot, a.Buffers, static buffer => buffer);
        return new ReadVOperation(fd, iovecs, count, a.Offset);
    }

    private static WriteVOperation PrepareWriteV(OperationSlot slot, in (FileDescriptor Fd, IReadOnlyList<ReadOnlyMemory<byte>> Buffers, long Offset) a)
    {
        var fd = slot.Reference(a.Fd, "fd");
        var (iovecs, count) = PinVector(slot, a.Buffers, static buffer => buffer);
        return new WriteVOperation(fd, iovecs, count, a.Offset);
    }

    /// <summary>
    /// Pins every buffer of a vectored read or write in the slot and writes their iovec array into
    /// its native block; returns the array's address and length. Refuses a list that grew past the
    /// limit since it was checked.
    /// </summary>
    private static (ulong Iovecs, uint Count) PinVector<TBuffer>(OperationSlot slot, IReadOnlyList<TBuffer> buffers, Func<TBuffer, ReadOnlyMemory<byte>> bytesOf)
    {
        var count = buffers.Count;
        if (count > SlotScratch.MaxSegments)
        {
            throw new InvalidOperationException($"The buffer list grew to {count} entries after it was checked; a vectored operation takes at most {SlotScratch.MaxSegments}. Do not change the list while submitting it.");
        }

        Span<(ulong, uint)> segments = stackalloc (ulong, uint)[count];
        for (var i = 0; i < count; i++)
        {
            var buffer = bytesOf(buffers[i]);
            segments[i] = (slot.Pin(buffer), (uint)buffer.Length);
        }

        return (slot.Scratch.PrepareIovecs(segments), (uint)count);
    }

    private static FsyncOperation PrepareFsync(OperationSlot slot, in (FileDescriptor Fd, bool DataOnly) a) =>
        new(slot.Reference(a.Fd, "fd"), a.DataOnly);

    private static FallocateOperation PrepareFallocate(OperationSlot slot, in (FileDescriptor Fd, long Offset, long Length, FallocateMode Mode) a) =>
        new(slot.Reference(a.Fd, "fd"), a.Offset, a.Length, a.Mode);
}
