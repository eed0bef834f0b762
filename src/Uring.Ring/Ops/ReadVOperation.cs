using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_READV: <c>preadv(fd, iovecs, count, offset)</c>, scattering into the buffers in order; the result is the byte count.</summary>
/// <param name="Fd">The file.</param>
/// <param name="Iovecs">Address of a <c>struct iovec</c> array; the array and its buffers stay valid until the completion.</param>
/// <param name="Count">The number of iovecs.</param>
/// <param name="Offset">The file offset, or -1 for the file's current position.</param>
public readonly record struct ReadVOperation(int Fd, ulong Iovecs, uint Count, long Offset) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.ReadV;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Iovecs;
        entry.Length = Count;
        entry.Offset = (ulong)Offset;
    }
}
