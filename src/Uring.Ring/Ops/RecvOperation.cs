using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_RECV: <c>recv(fd, buffer, length, flags)</c>; the result is the byte count (0 at end of stream).</summary>
/// <param name="Fd">The socket.</param>
/// <param name="Buffer">Address of a buffer that stays pinned until the completion.</param>
/// <param name="Length">The buffer's length in bytes.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct RecvOperation(int Fd, ulong Buffer, uint Length, MessageFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Recv;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Buffer;
        entry.Length = Length;
        entry.OpFlags = (uint)Flags;
    }
}
