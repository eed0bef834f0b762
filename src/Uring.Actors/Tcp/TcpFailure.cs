using System.Net.Sockets;
using System.Runtime.InteropServices;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// The reasons UringTcp gives with every <see cref="AkkaTcp.CommandFailed"/>: Akka.IO's
/// <see cref="AkkaTcp.CommandFailed.Cause"/> (and so its <c>CauseString</c>), so a program can tell
/// why a bind, connect, write or registration failed without reading the log.
/// </summary>
internal static class TcpFailure
{
    /// <summary><paramref name="command"/> failed because of <paramref name="cause"/>.</summary>
    internal static AkkaTcp.CommandFailed Of(AkkaTcp.Command command, Exception cause) => new AkkaTcp.CommandFailed(command).WithCause(cause);

    /// <summary>
    /// A <see cref="SocketException"/> for a failed completion's <paramref name="errno"/>: its
    /// <see cref="SocketException.SocketErrorCode"/> is the matching <see cref="SocketError"/>, and its
    /// message says what failed, with the errno's name and text.
    /// </summary>
    internal static SocketException FromErrno(Errno errno, string what) =>
        new((int)ToSocketError(errno), $"{what}: {errno} ({Marshal.GetPInvokeErrorMessage((int)errno)})");

    /// <summary>A socket failure that has no errno (a timeout, a restarted ring), as a <see cref="SocketException"/> saying what happened.</summary>
    internal static SocketException Socket(SocketError error, string message) => new((int)error, message);

    /// <summary>A write refused: the connection's queue is full, or it takes no writes now.</summary>
    internal static InvalidOperationException WriteRefused(string why) => new($"The write was refused: {why}.");

    /// <summary>The write refused because the queue would pass its limit.</summary>
    internal static InvalidOperationException QueueFull(long limit) =>
        WriteRefused($"the connection's write queue would pass uring.tcp.max-queued-write-bytes ({limit} bytes); wait for an ack before writing more, or raise the limit");

    private static SocketError ToSocketError(Errno errno) => errno switch
    {
        Errno.EADDRINUSE => SocketError.AddressAlreadyInUse,
        Errno.EADDRNOTAVAIL => SocketError.AddressNotAvailable,
        Errno.ECONNREFUSED => SocketError.ConnectionRefused,
        Errno.ECONNRESET => SocketError.ConnectionReset,
        Errno.ECONNABORTED => SocketError.ConnectionAborted,
        Errno.ETIMEDOUT or Errno.ETIME => SocketError.TimedOut,
        Errno.ECANCELED => SocketError.OperationAborted,
        Errno.ENETUNREACH => SocketError.NetworkUnreachable,
        Errno.ENETDOWN => SocketError.NetworkDown,
        Errno.EHOSTUNREACH => SocketError.HostUnreachable,
        Errno.EACCES or Errno.EPERM => SocketError.AccessDenied,
        Errno.EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
        Errno.EINVAL => SocketError.InvalidArgument,
        Errno.EMFILE or Errno.ENFILE => SocketError.TooManyOpenSockets,
        Errno.ENOBUFS or Errno.ENOMEM => SocketError.NoBufferSpaceAvailable,
        Errno.EPIPE or Errno.ESHUTDOWN => SocketError.Shutdown,
        Errno.ENOTCONN => SocketError.NotConnected,
        Errno.EISCONN => SocketError.IsConnected,
        Errno.EALREADY => SocketError.AlreadyInProgress,
        Errno.EINPROGRESS => SocketError.InProgress,
        Errno.EMSGSIZE => SocketError.MessageSize,
        Errno.ENOTSOCK => SocketError.NotSocket,
        Errno.EOPNOTSUPP => SocketError.OperationNotSupported,
        Errno.EAGAIN => SocketError.WouldBlock,
        Errno.EINTR => SocketError.Interrupted,
        _ => SocketError.SocketError,
    };
}
