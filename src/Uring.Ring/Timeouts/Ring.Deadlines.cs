using System.Net;

namespace Uring;

/// <summary>
/// Per-operation deadlines (<c>IORING_OP_LINK_TIMEOUT</c>). The overloads here take a
/// <see cref="TimeSpan"/> timeout: the operation's SQE is linked (<c>IOSQE_IO_LINK</c>) to a timeout
/// submitted with it, and if the operation has not completed when the timeout passes, the kernel
/// cancels it. Its completion then has <see cref="Completion.Error"/> <see cref="Errno.ECANCELED"/> and
/// <see cref="Completion.TimedOut"/> true — the awaitable forms complete with that completion too,
/// they do not throw <see cref="TimeoutException"/>, in keeping with every other kernel error.
/// </summary>
/// <remarks>
/// <para>The timeout starts when the kernel takes the operation (at the next flush when
/// <see cref="AutoSubmit"/> is off). <see cref="TimeSpan.Zero"/> is allowed: the operation gets one
/// attempt — it completes if it can at once (data already queued, a connection already waiting) and
/// is cancelled otherwise.</para>
/// <para>The completion is delivered once both the operation's and the timeout's CQEs have arrived; the
/// timeout's own CQE is consumed inside the ring. Each deadline operation takes two SQEs (reserved
/// together) but one in-flight slot. A <see cref="CancellationToken"/> and <see cref="SubmitCancel"/> still
/// cancel the operation before its deadline (then <see cref="Completion.TimedOut"/> is false).</para>
/// <para>Overloads: a call passing only the arguments of the plain forms binds to them. Beware the
/// <c>default</c> literal in the third position of <c>SubmitRecv</c>, <c>SubmitSend</c> and
/// <c>SubmitConnect</c>: it binds to the <see cref="TimeSpan"/> overload (a zero deadline); pass
/// <c>null</c> for no user data.</para>
/// </remarks>
public sealed partial class Ring
{
    /// <summary>
    /// Receives into <paramref name="buffer"/>, as <see cref="SubmitRecv(FileDescriptor, Memory{byte}, object, MessageFlags)"/>,
    /// but cancels the receive if nothing arrived within <paramref name="timeout"/>: the completion is
    /// then ECANCELED with <see cref="Completion.TimedOut"/> true.
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="buffer">Where the data goes; at least one byte.</param>
    /// <param name="timeout">The deadline from submission; zero or positive.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty, or <paramref name="fd"/> is invalid.</exception>
    /// <exception cref="InvalidOperationException">The ring's submission queue has a single entry: a deadline needs two.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitRecv(FileDescriptor fd, Memory<byte> buffer, TimeSpan timeout, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.Recv, userData, (fd, RequireBuffer(buffer), flags), PrepareRecv, RequireDeadline(timeout));

    /// <summary>Receives with a deadline; the async form of <see cref="SubmitRecv(FileDescriptor, Memory{byte}, TimeSpan, object, MessageFlags)"/>. A deadline expiry completes the task with an ECANCELED completion whose <see cref="Completion.TimedOut"/> is true.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the receive before its deadline.</exception>
    public ValueTask<Completion> RecvAsync(FileDescriptor fd, Memory<byte> buffer, TimeSpan timeout, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Recv, (fd, RequireBuffer(buffer), flags), PrepareRecv, cancellationToken, RequireDeadline(timeout));

    /// <summary>
    /// Sends <paramref name="data"/>, as <see cref="SubmitSend(FileDescriptor, ReadOnlyMemory{byte}, object, MessageFlags)"/>,
    /// but cancels the send if it could not complete within <paramref name="timeout"/> (a peer that
    /// stopped reading): the completion is then ECANCELED with <see cref="Completion.TimedOut"/> true.
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="data">The bytes to send.</param>
    /// <param name="timeout">The deadline from submission; zero or positive.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <param name="flags">MSG_* flags (<see cref="MessageFlags.NoSignal"/> is always added).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="InvalidOperationException">The ring's submission queue has a single entry: a deadline needs two.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSend(FileDescriptor fd, ReadOnlyMemory<byte> data, TimeSpan timeout, object? userData = null, MessageFlags flags = MessageFlags.None) =>
        Submit(CompletionKind.Send, userData, (fd, data, flags), PrepareSend, RequireDeadline(timeout));

    /// <summary>Sends with a deadline; the async form of <see cref="SubmitSend(FileDescriptor, ReadOnlyMemory{byte}, TimeSpan, object, MessageFlags)"/>. A deadline expiry completes the task with an ECANCELED completion whose <see cref="Completion.TimedOut"/> is true.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the send before its deadline.</exception>
    public ValueTask<Completion> SendAsync(FileDescriptor fd, ReadOnlyMemory<byte> data, TimeSpan timeout, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Send, (fd, data, flags), PrepareSend, cancellationToken, RequireDeadline(timeout));

    /// <summary>
    /// Connects <paramref name="fd"/> to <paramref name="remote"/>, as <see cref="SubmitConnect(FileDescriptor, EndPoint, object)"/>,
    /// but gives up after <paramref name="timeout"/>: the completion is then ECANCELED with
    /// <see cref="Completion.TimedOut"/> true, and the socket should be closed (its connection state is undefined).
    /// </summary>
    /// <param name="fd">The socket.</param>
    /// <param name="remote">The address to connect to.</param>
    /// <param name="timeout">The deadline from submission; zero or positive.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not IPv4, IPv6 or Unix-domain, or needs resolving.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The ring's submission queue has a single entry: a deadline needs two.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitConnect(FileDescriptor fd, EndPoint remote, TimeSpan timeout, object? userData = null) =>
        Submit(CompletionKind.Connect, userData, (fd, RequireDestination(remote)), PrepareConnect, RequireDeadline(timeout));

    /// <summary>Connects with a deadline; the async form of <see cref="SubmitConnect(FileDescriptor, EndPoint, TimeSpan, object)"/>. A deadline expiry completes the task with an ECANCELED completion whose <see cref="Completion.TimedOut"/> is true.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the connect before its deadline.</exception>
    public ValueTask<Completion> ConnectAsync(FileDescriptor fd, EndPoint remote, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Connect, (fd, RequireDestination(remote)), PrepareConnect, cancellationToken, RequireDeadline(timeout));

    /// <summary>
    /// Accepts one connection, as <see cref="SubmitAccept(FileDescriptor, SocketCreationFlags, object)"/>,
    /// but gives up if none arrived within <paramref name="timeout"/>: the completion is then ECANCELED
    /// with <see cref="Completion.TimedOut"/> true.
    /// </summary>
    /// <param name="fd">The listening socket.</param>
    /// <param name="timeout">The deadline from submission; zero or positive.</param>
    /// <param name="flags">Flags of the accepted descriptor; by default close-on-exec.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The ring's submission queue has a single entry: a deadline needs two.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitAccept(FileDescriptor fd, TimeSpan timeout, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null) =>
        Submit(CompletionKind.Accept, userData, (fd, RequireCreationFlags(flags)), PrepareAccept, RequireDeadline(timeout));

    /// <summary>Accepts one connection with a deadline; the async form of <see cref="SubmitAccept(FileDescriptor, TimeSpan, SocketCreationFlags, object)"/>. A deadline expiry completes the task with an ECANCELED completion whose <see cref="Completion.TimedOut"/> is true.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the accept before its deadline.</exception>
    public ValueTask<Completion> AcceptAsync(FileDescriptor fd, TimeSpan timeout, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Accept, (fd, RequireCreationFlags(flags)), PrepareAccept, cancellationToken, RequireDeadline(timeout));

    /// <summary>Checks a deadline before anything reaches the kernel: not negative, and an SQ that can hold the operation with its timeout.</summary>
    private TimeSpan RequireDeadline(TimeSpan timeout, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(timeout))] string? parameterName = null)
    {
        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, timeout,
                "A deadline cannot be negative; pass TimeSpan.Zero for a single attempt, or call the overload without a timeout for none.");
        }

        if (_raw.SqEntries < 2)
        {
            throw new InvalidOperationException(
                "This ring's submission queue has one entry, and an operation with a deadline needs two (the operation and its linked timeout, submitted together); create the ring with at least 2 entries.");
        }

        return timeout;
    }
}
