using System.Net;
using System.Net.Sockets;
using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Accepts one connection on listening socket <paramref name="fd"/>. <see cref="Completion.Result"/>
    /// is an <see cref="AcceptedSocket"/>: the new descriptor (yours to adopt or close) and the peer's address.
    /// </summary>
    /// <param name="fd">The listening socket.</param>
    /// <param name="flags">Flags of the accepted descriptor; by default close-on-exec, as .NET's own sockets are.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitAccept(FileDescriptor fd, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null) =>
        Submit(CompletionKind.Accept, userData, (fd, RequireCreationFlags(flags)), PrepareAccept);

    /// <summary>Accepts one connection; the async form of <see cref="SubmitAccept(FileDescriptor, SocketCreationFlags, object)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the accept.</exception>
    public ValueTask<Completion> AcceptAsync(FileDescriptor fd, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Accept, (fd, RequireCreationFlags(flags)), PrepareAccept, cancellationToken);

    /// <summary>
    /// Keeps accepting connections on <paramref name="fd"/> (<c>IORING_ACCEPT_MULTISHOT</c>, 5.19): one
    /// completion per connection, numbered by <see cref="Completion.Sequence"/> from 0, each with an
    /// <see cref="AcceptedSocket"/>, <see cref="Completion.HasMore"/> while still armed. A completion
    /// without it ends the request (an error, a cancel, or the kernel stopping it): submit again to
    /// keep accepting. Cancel it with <see cref="SubmitCancel"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitAcceptMultishot(FileDescriptor fd, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null, int baseSequence = 0) =>
        Submit(CompletionKind.AcceptMultishot, userData, (fd, RequireCreationFlags(flags)), PrepareAcceptMultishot, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>
    /// Keeps accepting connections, as an async stream of completions (see <see cref="SubmitAcceptMultishot"/>).
    /// If the kernel stops the request after an accepted connection (it does when the CQ overflows),
    /// the stream re-arms it; it ends with an error completion. Cancelling or leaving the loop cancels it.
    /// </summary>
    public IAsyncEnumerable<Completion> AcceptMultishotAsync(FileDescriptor fd, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.AcceptMultishot, (fd, RequireCreationFlags(flags)), PrepareAcceptMultishot, static leg => leg.Res >= 0, cancellationToken);

    /// <summary>Connects socket <paramref name="fd"/> to <paramref name="remote"/>; <see cref="Completion.Res"/> is 0 or an error such as ECONNREFUSED.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not IPv4, IPv6 or Unix-domain, or needs resolving.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitConnect(FileDescriptor fd, EndPoint remote, object? userData = null) =>
        Submit(CompletionKind.Connect, userData, (fd, RequireDestination(remote)), PrepareConnect);

    /// <summary>Connects a socket; the async form of <see cref="SubmitConnect(FileDescriptor, EndPoint, object)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the connect.</exception>
    public ValueTask<Completion> ConnectAsync(FileDescriptor fd, EndPoint remote, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Connect, (fd, RequireDestination(remote)), PrepareConnect, cancellationToken);

    /// <summary>Shuts down one or both directions of socket <paramref name="fd"/> (<c>IORING_OP_SHUTDOWN</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="how"/> is not a <see cref="SocketShutdown"/> value.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitShutdown(FileDescriptor fd, SocketShutdown how, object? userData = null) =>
        Submit(CompletionKind.Shutdown, userData, (fd, RequireShutdown(how)), PrepareShutdown);

    /// <summary>Shuts down a socket direction; the async form of <see cref="SubmitShutdown"/>.</summary>
    public ValueTask<Completion> ShutdownAsync(FileDescriptor fd, SocketShutdown how, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Shutdown, (fd, RequireShutdown(how)), PrepareShutdown, cancellationToken);

    /// <summary>
    /// Closes raw descriptor <paramref name="fd"/> (<c>IORING_OP_CLOSE</c>). Only for descriptors no
    /// managed object owns — an accepted fd you did not adopt, or one from <see cref="SubmitSocket"/>;
    /// closing a <see cref="Socket"/>'s descriptor here would let two owners close the same number.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitClose(int fd, object? userData = null) =>
        Submit(CompletionKind.Close, userData, RequireRawFd(fd), PrepareClose);

    /// <summary>Closes a raw descriptor; the async form of <see cref="SubmitClose(int, object?)"/>.</summary>
    public ValueTask<Completion> CloseAsync(int fd, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Close, RequireRawFd(fd), PrepareClose, cancellationToken);

    /// <summary>
    /// Creates a socket (<c>IORING_OP_SOCKET</c>, 5.19). <see cref="Completion.Result"/> is the new
    /// descriptor; adopt it with <c>new Socket(new SafeSocketHandle(fd, true))</c> or close it with
    /// <see cref="SubmitClose(int, object?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="family"/>, <paramref name="type"/>, <paramref name="protocol"/> or <paramref name="flags"/> is not supported.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSocket(AddressFamily family, SocketType type, ProtocolType protocol = ProtocolType.Unspecified, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null) =>
        Submit(CompletionKind.Socket, userData, SocketArguments(family, type, protocol, flags), static (OperationSlot _, in SocketOperation operation) => operation);

    /// <summary>Creates a socket; the async form of <see cref="SubmitSocket"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="family"/>, <paramref name="type"/>, <paramref name="protocol"/> or <paramref name="flags"/> is not supported.</exception>
    public ValueTask<Completion> SocketAsync(AddressFamily family, SocketType type, ProtocolType protocol = ProtocolType.Unspecified, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Socket, SocketArguments(family, type, protocol, flags), static (OperationSlot _, in SocketOperation operation) => operation, cancellationToken);

    private static SocketOperation SocketArguments(AddressFamily family, SocketType type, ProtocolType protocol, SocketCreationFlags flags)
    {
        var domain = family switch
        {
            AddressFamily.InterNetwork => 2,
            AddressFamily.InterNetworkV6 => 10,
            AddressFamily.Unix => 1,
            _ => throw new ArgumentException($"Address family {family} is not supported; use InterNetwork, InterNetworkV6 or Unix.", nameof(family)),
        };
        if (type is not (SocketType.Stream or SocketType.Dgram or SocketType.Raw or SocketType.Rdm or SocketType.Seqpacket))
        {
            throw new ArgumentException($"Socket type {type} is not supported.", nameof(type));
        }

        if (protocol is ProtocolType.Unknown || (int)protocol < 0 || (int)protocol > 255)
        {
            throw new ArgumentException($"Protocol {protocol} is not an IP protocol number; use Unspecified for the type's default.", nameof(protocol));
        }

        // .NET's SocketType values equal Linux's SOCK_* and ProtocolType values are IANA protocol numbers.
        return new SocketOperation(domain, (int)type, (int)protocol, RequireCreationFlags(flags));
    }

    private static SocketCreationFlags RequireCreationFlags(SocketCreationFlags flags, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(flags))] string? parameterName = null) =>
        (flags & ~(SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec)) == 0
            ? flags
            : throw new ArgumentException($"Only SocketCreationFlags.NonBlocking and CloseOnExec are valid, not {flags}.", parameterName);

    private static SocketShutdown RequireShutdown(SocketShutdown how, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(how))] string? parameterName = null) =>
        Enum.IsDefined(how) ? how : throw new ArgumentOutOfRangeException(parameterName, how, "Shut down Receive, Send or Both.");

    private static int RequireRawFd(int fd, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(fd))] string? parameterName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd, parameterName);
        return fd;
    }

    private static AcceptOperation PrepareAccept(OperationSlot slot, in (FileDescriptor Fd, SocketCreationFlags Flags) a)
    {
        var listener = slot.Reference(a.Fd, "fd");
        var scratch = slot.Scratch;
        scratch.AddressLength = SlotScratch.SockaddrCapacity;
        return new AcceptOperation(listener, scratch.SockaddrAddress, scratch.AddressLengthAddress, a.Flags);
    }

    private static AcceptOperation PrepareAcceptMultishot(OperationSlot slot, in (FileDescriptor Fd, SocketCreationFlags Flags) a) =>
        new(slot.Reference(a.Fd, "fd"), 0, 0, a.Flags, Multishot: true);

    private static ConnectOperation PrepareConnect(OperationSlot slot, in (FileDescriptor Fd, EndPoint Remote) a)
    {
        var socket = slot.Reference(a.Fd, "fd");
        var length = SocketAddressCodec.Encode(a.Remote, slot.Scratch.Sockaddr, "remote");
        return new ConnectOperation(socket, slot.Scratch.SockaddrAddress, (uint)length);
    }

    private static ShutdownOperation PrepareShutdown(OperationSlot slot, in (FileDescriptor Fd, SocketShutdown How) a) =>
        new(slot.Reference(a.Fd, "fd"), a.How);

    private static CloseOperation PrepareClose(OperationSlot slot, in int fd) => new(fd);
}
