using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_READ (5.6): <c>pread(fd, buffer, length, offset)</c>; the result is the byte count (0 at end of file).</summary>
/// <param name="Fd">The file.</param>
/// <param name="Buffer">Address of a buffer that stays pinned until the completion.</param>
/// <param name="Length">The buffer's length in bytes.</param>
/// <param name="Offset">The file offset, or -1 for the file's current position (which the read then advances).</param>
public readonly record struct ReadOperation(int Fd, ulong Buffer, uint Length, long Offset) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Read;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Buffer;
        entry.Length = Length;
        entry.Offset = (ulong)Offset;
    }
}
