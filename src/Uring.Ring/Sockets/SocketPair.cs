using System.Net.Sockets;
using Uring.Native;

namespace Uring;

/// <summary>
/// Connected pairs of Unix-domain sockets (<c>socketpair(2)</c>, which .NET does not expose), as
/// ordinary <see cref="Socket"/> objects that own their descriptors. Handy for tests and for
/// in-process channels through the ring.
/// </summary>
public static class SocketPair
{
    /// <summary>Creates a connected pair; <paramref name="socketType"/> is <see cref="SocketType.Stream"/>, <see cref="SocketType.Dgram"/> or <see cref="SocketType.Seqpacket"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="socketType"/> is another type.</exception>
    /// <exception cref="UringException">The kernel refused (for example EMFILE).</exception>
    public static (Socket First, Socket Second) Create(SocketType socketType = SocketType.Stream)
    {
        if (socketType is not (SocketType.Stream or SocketType.Dgram or SocketType.Seqpacket))
        {
            throw new ArgumentOutOfRangeException(nameof(socketType), socketType, "A socket pair is Stream, Dgram or Seqpacket.");
        }

        // .NET's SocketType values for these three equal Linux's SOCK_STREAM/SOCK_DGRAM/SOCK_SEQPACKET.
        var (first, second) = SocketPairNative.Create((int)socketType);
        return (Adopt(first), Adopt(second));
    }

    private static Socket Adopt(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));
}
