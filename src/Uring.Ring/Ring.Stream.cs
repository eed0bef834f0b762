using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Receives into <paramref name="buffer"/> from <paramref name="fd"/>. The completion's
    /// <see cref="Completion.Result"/> is the byte count (0: the peer closed its side). The buffer
    /// stays pinned until the completion, whatever the GC does meanwhile.
    /// </summary>
    /// <param name="fd">The socket: a <see cref="System.Net.Sockets.Socket"/>, a <see cref="System.Runtime.InteropServices.SafeHandle"/> or a raw fd.</param>
    /// <param name="buffer">Where the data goes; at least one byte (a zero-length receive could not be told from end of stream).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitRecv(FileDescriptor fd, Memory<byte> buffer, object? userData = null, MessageFlags flags = MessageFlags.None)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The receive buffer is empty; pass at least one byte (a zero-byte receive cannot be told apart from end of stream).", nameof(buffer));
        }

        return Submit(CompletionKind.Recv, userData, (fd, buffer, flags), static (OperationSlot slot, in (FileDescriptor Fd, Memory<byte> Buffer, MessageFlags Flags) a) =>
            new RecvOperation(slot.Reference(a.Fd, nameof(fd)), slot.Pin(a.Buffer), (uint)a.Buffer.Length, a.Flags));
    }

    /// <summary>
    /// Sends <paramref name="data"/> on <paramref name="fd"/>. The completion's <see cref="Completion.Result"/>
    /// is the byte count sent, which a stream socket may cut short: send the rest again. The data
    /// stays pinned (not copied) until the completion. <see cref="MessageFlags.NoSignal"/> is always added.
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="data">The bytes to send; may be empty (an empty datagram).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSend(FileDescriptor fd, ReadOnlyMemory<byte> data, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.Send, userData, (fd, data, flags), static (OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, MessageFlags Flags) a) =>
            new SendOperation(slot.Reference(a.Fd, nameof(fd)), slot.Pin(a.Data), (uint)a.Data.Length, a.Flags | MessageFlags.NoSignal));

    /// <summary>
    /// A zero-copy send (<c>IORING_OP_SEND_ZC</c>, 6.0): the kernel transmits straight from
    /// <paramref name="data"/>. The completion (byte count) is delivered as usual; the kernel's later
    /// notification that it no longer reads the buffer is consumed internally, and only then is the
    /// pin released — on success and on error alike. Pays off for large payloads on real NICs; on
    /// loopback the kernel copies anyway. Check <c>UringProbe.Probe().Capabilities["IORING_OP_SEND_ZC"]</c>.
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="data">The bytes to send.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags (<see cref="MessageFlags.NoSignal"/> is always added).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendZc(FileDescriptor fd, ReadOnlyMemory<byte> data, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendZc, userData, (fd, data, flags), static (OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, MessageFlags Flags) a) =>
            new SendZcOperation(slot.Reference(a.Fd, nameof(fd)), slot.Pin(a.Data), (uint)a.Data.Length, a.Flags | MessageFlags.NoSignal));
}
