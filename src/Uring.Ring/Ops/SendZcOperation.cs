using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_SEND_ZC (6.0): a zero-copy <c>send</c>. Posts the byte count, then (when that completion
/// has <see cref="CompletionFlags.More"/>) a <see cref="CompletionFlags.Notification"/> completion
/// once the kernel no longer reads the buffer; the buffer must stay pinned until then.
/// </summary>
/// <param name="Fd">The socket.</param>
/// <param name="Data">Address of the data.</param>
/// <param name="Length">The data's length in bytes.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct SendZcOperation(int Fd, ulong Data, uint Length, MessageFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.SendZc;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Data;
        entry.Length = Length;
        entry.OpFlags = (uint)Flags;
    }
}
