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
    public OperationHandle SubmitRecv(FileDescriptor fd, Memory<byte> buffer, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.Recv, userData, (fd, RequireBuffer(buffer), flags), PrepareRecv);

    /// <summary>Receives into <paramref name="buffer"/>; the async form of <see cref="SubmitRecv(FileDescriptor, Memory{byte}, object, MessageFlags)"/>.</summary>
    /// <returns>The completion; its <see cref="Completion.Result"/> is the byte count.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the receive.</exception>
    public ValueTask<Completion> RecvAsync(FileDescriptor fd, Memory<byte> buffer, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Recv, (fd, RequireBuffer(buffer), flags), PrepareRecv, cancellationToken);

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
        Submit(CompletionKind.Send, userData, (fd, data, flags), PrepareSend);

    /// <summary>Sends <paramref name="data"/>; the async form of <see cref="SubmitSend(FileDescriptor, ReadOnlyMemory{byte}, object, MessageFlags)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send.</exception>
    public ValueTask<Completion> SendAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Send, (fd, data, flags), PrepareSend, cancellationToken);

    /// <summary>
    /// A zero-copy send (<c>IORING_OP_SEND_ZC</c>, 6.0): the kernel transmits straight from
    /// <paramref name="data"/>. The completion (byte count) is delivered as usual; the kernel's later
    /// notification that it no longer reads the buffer is consumed internally, and only then is the
    /// pin released — on success and on error alike. Pays off for large payloads on real NICs; on
    /// loopback the kernel copies anyway. Check <c>UringProbe.Probe().Has("IORING_OP_SEND_ZC")</c>.
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="data">The bytes to send.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags (<see cref="MessageFlags.NoSignal"/> is always added).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSendZc(FileDescriptor fd, ReadOnlyMemory<byte> data, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.SendZc, userData, (fd, data, flags), PrepareSendZc);

    /// <summary>
    /// A zero-copy send; the async form of <see cref="SubmitSendZc"/>. The task completes only after
    /// the kernel's notification, so <paramref name="data"/> may be reused as soon as the await returns.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send.</exception>
    public ValueTask<Completion> SendZcAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.SendZc, (fd, data, flags), PrepareSendZc, cancellationToken);

    /// <summary>Submits a no-op; the async form of <see cref="SubmitNop"/>.</summary>
    public ValueTask<Completion> NopAsync(CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Nop, 0, static (OperationSlot _, in int _) => new NopOperation(), cancellationToken);

    private static Memory<byte> RequireBuffer(Memory<byte> buffer, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(buffer))] string? parameterName = null) =>
        buffer.IsEmpty
            ? throw new ArgumentException("The receive buffer is empty; pass at least one byte (a zero-byte receive cannot be told apart from end of stream).", parameterName)
            : buffer;

    private static RecvOperation PrepareRecv(OperationSlot slot, in (FileDescriptor Fd, Memory<byte> Buffer, MessageFlags Flags) a) =>
        new(slot.Reference(a.Fd, "fd"), slot.Pin(a.Buffer), (uint)a.Buffer.Length, a.Flags);

    private static SendOperation PrepareSend(OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, MessageFlags Flags) a) =>
        new(slot.Reference(a.Fd, "fd"), slot.Pin(a.Data), (uint)a.Data.Length, a.Flags | MessageFlags.NoSignal);

    private static SendZcOperation PrepareSendZc(OperationSlot slot, in (FileDescriptor Fd, ReadOnlyMemory<byte> Data, MessageFlags Flags) a) =>
        new(slot.Reference(a.Fd, "fd"), slot.Pin(a.Data), (uint)a.Data.Length, a.Flags | MessageFlags.NoSignal);
}
