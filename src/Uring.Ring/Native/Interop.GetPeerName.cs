using System.Runtime.InteropServices;

namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary><c>int getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)</c>.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "getpeername", SetLastError = true)]
    internal static partial int GetPeerName(int fd, byte* address, uint* addressLength);
}
