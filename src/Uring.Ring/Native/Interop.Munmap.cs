using System.Runtime.InteropServices;

namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary><c>int munmap(void *addr, size_t length)</c>.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(void* address, nuint length);
}
