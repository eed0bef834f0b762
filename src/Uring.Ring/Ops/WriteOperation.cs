using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_WRITE (5.6): <c>pwrite(fd, data, length, offset)</c>; the result is the byte count written.</summary>
/// <param name="Fd">The file.</param>
/// <param name="Data">Address of the bytes, pinned until the completion.</param>
/// <param name="Length">How many bytes to write.</param>
/// <param name="Offset">The file offset, or -1 for the file's current position (which the write then advances).</param>
public readonly record struct WriteOperation(int Fd, ulong Data, uint Length, long Offset) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Write;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Data;
        entry.Length = Length;
        entry.Offset = (ulong)Offset;
    }
}
