namespace Uring.Native;

/// <summary>Creates a connected pair of Unix-domain sockets with <c>socketpair(2)</c>.</summary>
internal static unsafe class SocketPairNative
{
    internal static (int First, int Second) Create(int socketType)
    {
        var fds = stackalloc int[2];
        if (Interop.SocketPair(Interop.AfUnix, socketType | Interop.SockCloexec, 0, fds) != 0)
        {
            throw UringException.FromErrno("socketpair", Interop.LastErrno);
        }

        return (fds[0], fds[1]);
    }
}
