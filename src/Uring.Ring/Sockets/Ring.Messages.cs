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
    public OperationHandle SubmitRecvMsg(FileDescriptor fd, Memory<byte> buffer, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.RecvMsg, userData, (fd, RequireBuffer(buffer), flags), PrepareRecvMsg);

    /// <summary>Receives one message; the async form of <see cref="SubmitRecvMsg"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the receive.</exception>
    public ValueTask<Completion> RecvMsgAsync(FileDescriptor fd, Memory<byte> buffer, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.RecvMsg, (fd, RequireBuffer(buffer), flags), PrepareRecvMsg, cancellationToken);

    /// <summary>
    /// Sends <paramref name="data"/> to <paramref name="destination"/> on an unconnected socket
    /// (<c>sendmsg</c> with a destination). <see cref="Completion.Result"/> is the byte count.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not IPv4, IPv6 or Unix-domain, or needs resolving.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendTo(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint destination, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendTo, userData, Message(fd, data, null, RequireDestination(destination), flags), PrepareMessage<SendMsgOperation>);

    /// <summary>Sends a datagram to <paramref name="destination"/>; the async form of <see cref="SubmitSendTo"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send.</exception>
    public ValueTask<Completion> SendToAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint destination, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.SendTo, Message(fd, data, null, RequireDestination(destination), flags), PrepareMessage<SendMsgOperation>, cancellationToken);

    /// <summary>
    /// Sends one buffer as a message (<c>IORING_OP_SENDMSG</c>), to <paramref name="destination"/> if
    /// given. <see cref="Completion.Result"/> is the byte count.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not IPv4, IPv6 or Unix-domain.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsg(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendMsg, userData, Message(fd, data, null, destination, flags), PrepareMessage<SendMsgOperation>);

    /// <summary>
    /// Gathers up to 16 <paramref name="buffers"/> into one message (<c>IORING_OP_SENDMSG</c>), to
    /// <paramref name="destination"/> if given. Every buffer stays pinned until the completion.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> holds more than 16 buffers, or <paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsg(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendMsg, userData, Message(fd, default, RequireSegments(buffers), destination, flags), PrepareMessage<SendMsgOperation>);

    /// <summary>Gathers buffers into one message; the async form of <see cref="SubmitSendMsg(FileDescriptor, IReadOnlyList{ReadOnlyMemory{byte}}, EndPoint?, object?, MessageFlags)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send.</exception>
    public ValueTask<Completion> SendMsgAsync(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, EndPoint? destination = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.SendMsg, Message(fd, default, RequireSegments(buffers), destination, flags), PrepareMessage<SendMsgOperation>, cancellationToken);

    /// <summary>
    /// A zero-copy <c>sendmsg</c> (<c>IORING_OP_SENDMSG_ZC</c>, 6.1). As <see cref="SubmitSendZc"/>:
    /// the ordinary completion is delivered, the kernel's notification is consumed internally, and
    /// only then is the buffer released.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsgZc(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendMsgZc, userData, Message(fd, data, null, destination, flags), PrepareMessage<SendMsgZcOperation>);

    /// <summary>A zero-copy <c>sendmsg</c> gathering up to 16 <paramref name="buffers"/>; see <see cref="SubmitSendMsgZc(FileDescriptor, ReadOnlyMemory{byte}, EndPoint?, object?, MessageFlags)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> holds more than 16 buffers, or <paramref name="destination"/> is unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendMsgZc(FileDescriptor fd, IReadOnlyList<ReadOnlyMemory<byte>> buffers, EndPoint? destination = null, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendMsgZc, userData, Message(fd, default, RequireSegments(buffers), destination, flags), PrepareMessage<SendMsgZcOperation>);

    /// <summary>A zero-copy <c>sendmsg</c>; the async form, completing only after the kernel's notification (the buffer is then free to reuse).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send.</exception>
    public ValueTask<Completion> SendMsgZcAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, EndPoint? destination = null, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.SendMsgZc, Message(fd, data, null, destination, flags), PrepareMessage<SendMsgZcOperation>, cancellationToken);

    private static EndPoint RequireDestination(EndPoint destination, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(destination))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(destination, parameterName);
        return destination;
    }

    private static IReadOnlyList<ReadOnlyMemory<byte>> RequireSegments(IReadOnlyList<ReadOnlyMemory<byte>> buffers, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(buffers))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(buffers, parameterName);
        if (buffers.Count > SlotScratch.MaxSegments)
        {
            throw new ArgumentException($"A message gathers at most {SlotScratch.MaxSegments} buffers; this one has {buffers.Count}. Join buffers or send in several messages.", parameterName);
        }

        return buffers;
    }

    private static MessageArguments Message(FileDescriptor fd, ReadOnlyMemory<byte> single, IReadOnlyList<ReadOnlyMemory<byte>>? many, EndPoint? destination, MessageFlags flags) =>
        new(fd, single, many, destination, flags | MessageFlags.NoSignal);

    private static RecvMsgOperation PrepareRecvMsg(OperationSlot slot, in (FileDescriptor Fd, Memory<byte> Buffer, MessageFlags Flags) a)
    {
        var socket = slot.Reference(a.Fd, "fd");
        ReadOnlySpan<(ulong, uint)> segment = [(slot.Pin(a.Buffer), (uint)a.Buffer.Length)];
        slot.Scratch.PrepareMessage(SlotScratch.SockaddrCapacity, segment);
        return new RecvMsgOperation(socket, slot.Scratch.MessageHeaderAddress, a.Flags);
    }

    /// <summary>Every sendmsg-shaped submission: pins the buffer(s), encodes the destination into the slot's sockaddr, fills the msghdr.</summary>
    private static TOp PrepareMessage<TOp>(OperationSlot slot, in MessageArguments a)
        where TOp : struct, IMessageOperation<TOp>
    {
        var socket = slot.Reference(a.Fd, "fd");
        var scratch = slot.Scratch;
        var nameLength = a.Destination is null ? 0u : (uint)SocketAddressCodec.Encode(a.Destination, scratch.Sockaddr, "destination");
        var count = a.Many?.Count ?? 1;
        Span<(ulong, uint)> segments = stackalloc (ulong, uint)[count];
        for (var i = 0; i < count; i++)
        {
            var buffer = a.Many is null ? a.Single : a.Many[i];
            segments[i] = (slot.Pin(buffer), (uint)buffer.Length);
        }

        scratch.PrepareMessage(nameLength, segments);
        return TOp.Create(socket, scratch.MessageHeaderAddress, a.Flags);
    }

    /// <summary>The arguments of a sendmsg-shaped operation: one buffer or a list, an optional destination.</summary>
    private readonly record struct MessageArguments(FileDescriptor Fd, ReadOnlyMemory<byte> Single, IReadOnlyList<ReadOnlyMemory<byte>>? Many, EndPoint? Destination, MessageFlags Flags);
}
