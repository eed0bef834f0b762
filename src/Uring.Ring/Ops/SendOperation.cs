using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_SEND: <c>send(fd, data, length, flags)</c>; the result is the byte count sent (possibly short).</summary>
/// <param name="Fd">The socket.</param>
/// <param name="Data">Address of the data; it stays pinned until the completion.</param>
/// <param name="Length">The data's length in bytes.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct SendOperation(int Fd, ulong Data, uint Length, MessageFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Send;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Data;
        entry.Length = Length;
        entry.OpFlags = (uint)Flags;
    }
}
