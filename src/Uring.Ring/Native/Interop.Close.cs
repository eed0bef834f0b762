using System.Runtime.InteropServices;

namespace Uring.Native;

internal static partial class Interop
{
    /// <summary><c>int close(int fd)</c>. Never retried on EINTR: on Linux the descriptor is released either way.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
