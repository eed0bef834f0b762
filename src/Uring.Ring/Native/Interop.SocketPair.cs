using System.Runtime.InteropServices;

namespace Uring.Native;

internal static unsafe partial class Interop
{
    internal const int AfUnix = 1;
    internal const int SockCloexec = 0x80000;

    /// <summary><c>int socketpair(int domain, int type, int protocol, int sv[2])</c>.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);
}
