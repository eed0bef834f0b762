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
        Submit(CompletionKind.Accept, userData, (fd, CheckFlags(flags)), static (OperationSlot slot, in (FileDescriptor Fd, SocketCreationFlags Flags) a) =>
        {
            var listener = slot.Reference(a.Fd, nameof(fd));
            var scratch = slot.Scratch;
            scratch.AddressLength = SlotScratch.SockaddrCapacity;
            return new AcceptOperation(listener, scratch.SockaddrAddress, scratch.AddressLengthAddress, a.Flags);
        });

    /// <summary>
    /// Keeps accepting connections on <paramref name="fd"/> (<c>IORING_ACCEPT_MULTISHOT</c>, 5.19): one
    /// completion per connection, numbered by <see cref="Completion.Sequence"/> from 0, each with an
    /// <see cref="AcceptedSocket"/>, <see cref="Completion.HasMore"/> while still armed. A completion
    /// without it ends the request (an error, a cancel, or the kernel stopping it): submit again to
    /// keep accepting. Cancel it with <see cref="SubmitCancel"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitAcceptMultishot(FileDescriptor fd, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null) =>
        Submit(CompletionKind.AcceptMultishot, userData, (fd, CheckFlags(flags)), static (OperationSlot slot, in (FileDescriptor Fd, SocketCreationFlags Flags) a) =>
            new AcceptOperation(slot.Reference(a.Fd, nameof(fd)), 0, 0, a.Flags, Multishot: true));

    /// <summary>Connects socket <paramref name="fd"/> to <paramref name="remote"/>; <see cref="Completion.Res"/> is 0 or an error such as ECONNREFUSED.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="remote"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not IPv4, IPv6 or Unix-domain, or needs resolving.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitConnect(FileDescriptor fd, EndPoint remote, object? userData = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return Submit(CompletionKind.Connect, userData, (fd, remote), static (OperationSlot slot, in (FileDescriptor Fd, EndPoint Remote) a) =>
        {
            var socket = slot.Reference(a.Fd, nameof(fd));
            var length = SocketAddressCodec.Encode(a.Remote, slot.Scratch.Sockaddr, nameof(remote));
            return new ConnectOperation(socket, slot.Scratch.SockaddrAddress, (uint)length);
        });
    }

    /// <summary>Shuts down one or both directions of socket <paramref name="fd"/> (<c>IORING_OP_SHUTDOWN</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="how"/> is not a <see cref="SocketShutdown"/> value.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitShutdown(FileDescriptor fd, SocketShutdown how, object? userData = null)
    {
        if (!Enum.IsDefined(how))
        {
            throw new ArgumentOutOfRangeException(nameof(how), how, "Shut down Receive, Send or Both.");
        }

        return Submit(CompletionKind.Shutdown, userData, (fd, how), static (OperationSlot slot, in (FileDescriptor Fd, SocketShutdown How) a) =>
            new ShutdownOperation(slot.Reference(a.Fd, nameof(fd)), a.How));
    }

    /// <summary>
    /// Closes raw descriptor <paramref name="fd"/> (<c>IORING_OP_CLOSE</c>). Only for descriptors no
    /// managed object owns — an accepted fd you did not adopt, or one from <see cref="SubmitSocket"/>;
    /// closing a <see cref="Socket"/>'s descriptor here would let two owners close the same number.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitClose(int fd, object? userData = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        return Submit(CompletionKind.Close, userData, fd, static (OperationSlot _, in int descriptor) => new CloseOperation(descriptor));
    }

    /// <summary>
    /// Creates a socket (<c>IORING_OP_SOCKET</c>, 5.19). <see cref="Completion.Result"/> is the new
    /// descriptor; adopt it with <c>new Socket(new SafeSocketHandle(fd, true))</c> or close it with
    /// <see cref="SubmitClose"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="family"/>, <paramref name="type"/> or <paramref name="protocol"/> is not supported.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitSocket(AddressFamily family, SocketType type, ProtocolType protocol = ProtocolType.Unspecified, SocketCreationFlags flags = SocketCreationFlags.CloseOnExec, object? userData = null)
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
        return Submit(CompletionKind.Socket, userData, new SocketOperation(domain, (int)type, (int)protocol, CheckFlags(flags)),
            static (OperationSlot _, in SocketOperation operation) => operation);
    }

    private static SocketCreationFlags CheckFlags(SocketCreationFlags flags, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(flags))] string? parameterName = null) =>
        (flags & ~(SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec)) == 0
            ? flags
            : throw new ArgumentException($"Only SocketCreationFlags.NonBlocking and CloseOnExec are valid, not {flags}.", parameterName);
}
