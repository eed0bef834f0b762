using System.Net;
using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Receives one message into <paramref name="buffer"/> (<c>IORING_OP_RECVMSG</c>). The completion's
    /// <see cref="Completion.Result"/> is a <see cref="ReceivedMessage"/> with the byte count, the
    /// sender's address and the returned flags (<see cref="MessageFlags.Truncate"/> when a datagram
    /// did not fit). The msghdr and address the kernel writes live in the operation's slot until then.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitRecvMsg(FileDescriptor fd, Memory<byte> buffer, object? userData = null, MessageFlags flags = MessageFlags.None)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The receive buffer is empty; pass at least one byte.", nameof(buffer));
        }

        return Submit(CompletionKind.RecvMsg, userData, (fd, buffer, flags), static (OperationSlot slot, in (FileDescriptor Fd, Memory<byte> Buffer, MessageFlags Flags) a) =>
        {
            var socket = slot.Reference(a.Fd, nameof(fd));
            ReadOnlySpan<(ulong, uint)> segment = [(slot.Pin(a.Buffer), (uint)a.Buffer.Length)];
            slot.Scratch.PrepareMessage(SlotScratch.SockaddrCapacity, segment);
            return new RecvMsgOperation(socket, slot.Scratch.MessageHeaderAddress, a.Flags);
        });
    }

    /// <summary>
    /// Sends <paramref name="data"/> to <paramref name="destination"/> on an unconnected socket
    /// (<c>sendmsg</c> with a destination). <see cref="Completion.Result"/> is the byte count.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not IPv4, IPv6 or Unix-domain, or needs resolving.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendTo(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint destination, object? userData = null, MessageFlags flags = MessageFlags.None)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SubmitMessage<SendMsgOperation>(CompletionKind.SendTo, fd, data, null, destination, userData, flags);
    }

    /// <summary>
    /// Sends one buffer as a message (<c>IORING_OP_SENDMSG</c>), to <paramref name="destination"/> if
    /// given. <see cref="Completion.Result"/> is the byte count.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not IPv4, IPv6 or Unix-domain.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsg(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        SubmitMessage<SendMsgOperation>(CompletionKind.SendMsg, fd, data, null, destination, userData, flags);

    /// <summary>
    /// Gathers up to 16 <paramref name="buffers"/> into one message (<c>IORING_OP_SENDMSG</c>), to
    /// <paramref name="destination"/> if given. Every buffer stays pinned until the completion.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> holds more than 16 buffers, or <paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsg(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        SubmitMessage<SendMsgOperation>(CompletionKind.SendMsg, fd, default, CheckSegments(buffers), destination, userData, flags);

    /// <summary>
    /// A zero-copy <c>sendmsg</c> (<c>IORING_OP_SENDMSG_ZC</c>, 6.1). As <see cref="SubmitSendZc"/>:
    /// the ordinary completion is delivered, the kernel's notification is consumed internally, and
    /// only then is the buffer released.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsgZc(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        SubmitMessage<SendMsgZcOperation>(CompletionKind.SendMsgZc, fd, data, null, destination, userData, flags);

    /// <summary>A zero-copy <c>sendmsg</c> gathering up to 16 <paramref name="buffers"/>; see <see cref="SubmitSendMsgZc(FileDescriptor, ReadOnlyMemory{byte}, EndPoint?, object?, MessageFlags)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> holds more than 16 buffers, or <paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsgZc(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        SubmitMessage<SendMsgZcOperation>(CompletionKind.SendMsgZc, fd, default, CheckSegments(buffers), destination, userData, flags);

    private static IReadOnlyList<ReadOnlyMemory<byte>> CheckSegments(IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Count > SlotScratch.MaxSegments)
        {
            throw new ArgumentException($"A message gathers at most {SlotScratch.MaxSegments} buffers; this one has {buffers.Count}. Join buffers or send in several messages.", nameof(buffers));
        }

        return buffers;
    }

    /// <summary>Every sendmsg-shaped submission: pins the buffer(s), encodes the destination into the slot's sockaddr, fills the msghdr.</summary>
    private OperationHandle SubmitMessage<TOp>(CompletionKind kind, FileDescriptor fd, ReadOnlyMemory<byte> single, IReadOnlyList<ReadOnlyMemory<byte>>? many, EndPoint? destination, object? userData, MessageFlags flags)
        where TOp : struct, IMessageOperation<TOp> =>
        Submit(kind, userData, (fd, single, many, destination, flags | MessageFlags.NoSignal), static (OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Single, IReadOnlyList<ReadOnlyMemory<byte>>? Many, EndPoint? To, MessageFlags Flags) a) =>
        {
            var socket = slot.Reference(a.Fd, "fd");
            var scratch = slot.Scratch;
            var nameLength = a.To is null ? 0u : (uint)SocketAddressCodec.Encode(a.To, scratch.Sockaddr, "destination");
            var count = a.Many?.Count ?? 1;
            Span<(ulong, uint)> segments = stackalloc (ulong, uint)[count];
            for (var i = 0; i < count; i++)
            {
                var buffer = a.Many is null ? a.Single : a.Many[i];
                segments[i] = (slot.Pin(buffer), (uint)buffer.Length);
            }

            scratch.PrepareMessage(nameLength, segments);
            return TOp.Create(socket, scratch.MessageHeaderAddress, a.Flags);
        });
}
