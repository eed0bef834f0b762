using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_RECV with IORING_RECV_MULTISHOT (6.0): keeps receiving, one completion per chunk, each
/// into a buffer the kernel takes from provided-buffer group <paramref name="BufferGroup"/> (its id
/// in the completion's upper flag bits). Ends with a completion without <see cref="CompletionFlags.More"/>:
/// end of stream (0), an error, ENOBUFS when the group ran dry, or ECANCELED.
/// </summary>
/// <param name="Fd">The socket.</param>
/// <param name="BufferGroup">The provided-buffer group id.</param>
/// <param name="Flags">MSG_* flags.</param>
public readonly record struct RecvMultishotOperation(int Fd, ushort BufferGroup, MessageFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Recv;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.OpFlags = (uint)Flags;
        entry.IoPriority = KernelConstants.RecvMultishot;
        entry.Flags = (byte)SqeFlags.BufferSelect;
        entry.BufferIndex = BufferGroup;
    }
}
