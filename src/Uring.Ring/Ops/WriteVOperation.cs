using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_WRITEV: <c>pwritev(fd, iovecs, count, offset)</c>, gathering the buffers in order; the result is the byte count.</summary>
/// <param name="Fd">The file.</param>
/// <param name="Iovecs">Address of a <c>struct iovec</c> array; the array and its buffers stay valid until the completion.</param>
/// <param name="Count">The number of iovecs.</param>
/// <param name="Offset">The file offset, or -1 for the file's current position.</param>
public readonly record struct WriteVOperation(int Fd, ulong Iovecs, uint Count, long Offset) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.WriteV;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Iovecs;
        entry.Length = Count;
        entry.Offset = (ulong)Offset;
    }
}
