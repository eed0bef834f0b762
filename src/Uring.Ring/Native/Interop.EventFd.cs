using System.Runtime.InteropServices;

namespace Uring.Native;

internal static partial class Interop
{
    internal const int EfdCloexec = 0x80000;
    internal const int EfdNonblock = 0x800;

    /// <summary><c>int eventfd(unsigned int initval, int flags)</c>.</summary>
    /// <returns>A new descriptor, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);
}
