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

        var slot = Rent(CompletionKind.Recv, userData);
        try
        {
            var socket = slot.Reference(fd, nameof(fd));
            var address = slot.Pin(buffer);
            return Submit(slot, new RecvOperation(socket, address, (uint)buffer.Length, flags));
        }
        catch when (!slot.Submitted)
        {
            _slots.Return(slot);
            throw;
        }
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
    public OperationHandle SubmitSend(FileDescriptor fd, ReadOnlyMemory<byte> data, object? userData = null, MessageFlags flags = MessageFlags.None)
    {
        var slot = Rent(CompletionKind.Send, userData);
        try
        {
            var socket = slot.Reference(fd, nameof(fd));
            var address = slot.Pin(data);
            return Submit(slot, new SendOperation(socket, address, (uint)data.Length, flags | MessageFlags.NoSignal));
        }
        catch when (!slot.Submitted)
        {
            _slots.Return(slot);
            throw;
        }
    }
}
