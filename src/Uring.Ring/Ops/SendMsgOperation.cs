using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_SENDMSG: <c>sendmsg(fd, msghdr, flags)</c>, gathering the msghdr's iovecs, to its <c>msg_name</c> if set.</summary>
/// <param name="Fd">The socket.</param>
/// <param name="MessageHeader">Address of a <c>struct msghdr</c>; its buffers stay valid until the completion.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct SendMsgOperation(int Fd, ulong MessageHeader, MessageFlags Flags) : IRingOperation, IMessageOperation<SendMsgOperation>
{
    static SendMsgOperation IMessageOperation<SendMsgOperation>.Create(int fd, ulong messageHeader, MessageFlags flags) => new(fd, messageHeader, flags);

    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.SendMsg;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = MessageHeader;
        entry.Length = 1;
        entry.OpFlags = (uint)Flags;
    }
}
