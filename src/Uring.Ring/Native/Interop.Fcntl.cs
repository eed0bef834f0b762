using System.Runtime.InteropServices;

namespace Uring.Native;

internal static partial class Interop
{
    internal const int FGetFd = 1;
    internal const int FGetFl = 3;
    internal const int FdCloexec = 1;
    internal const int ONonblock = 0x800;

    /// <summary><c>int fcntl(int fd, int cmd)</c> for the argument-less commands (F_GETFD, F_GETFL).</summary>
    /// <returns>The flags, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command);
}
