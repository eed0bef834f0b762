using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_RECVMSG: <c>recvmsg(fd, msghdr, flags)</c>; the kernel writes the source address and flags back into the msghdr.</summary>
/// <param name="Fd">The socket.</param>
/// <param name="MessageHeader">Address of a <c>struct msghdr</c> that stays valid until the completion.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct RecvMsgOperation(int Fd, ulong MessageHeader, MessageFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.RecvMsg;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = MessageHeader;
        entry.Length = 1;
        entry.OpFlags = (uint)Flags;
    }
}
