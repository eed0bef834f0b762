using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_SENDMSG_ZC (6.1): a zero-copy <c>sendmsg</c>. Posts the byte count, then (when that
/// completion has <see cref="CompletionFlags.More"/>) a <see cref="CompletionFlags.Notification"/>
/// completion once the kernel no longer reads the buffers; they must stay pinned until then.
/// </summary>
/// <param name="Fd">The socket.</param>
/// <param name="MessageHeader">Address of a <c>struct msghdr</c>.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct SendMsgZcOperation(int Fd, ulong MessageHeader, MessageFlags Flags) : IRingOperation, IMessageOperation<SendMsgZcOperation>
{
    static SendMsgZcOperation IMessageOperation<SendMsgZcOperation>.Create(int fd, ulong messageHeader, MessageFlags flags) => new(fd, messageHeader, flags);

    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.SendMsgZc;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = MessageHeader;
        entry.Length = 1;
        entry.OpFlags = (uint)Flags;
    }
}
