using System.Runtime.InteropServices;

namespace Uring.Native;

internal static unsafe partial class Interop
{
    internal const int ProtRead = 0x1;
    internal const int ProtWrite = 0x2;
    internal const int MapShared = 0x01;
    internal const int MapPrivate = 0x02;
    internal const int MapAnonymous = 0x20;
    internal const int MapPopulate = 0x8000;

    /// <summary>The value <c>mmap</c> returns on failure.</summary>
    internal static readonly void* MapFailed = (void*)-1;

    /// <summary><c>void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)</c>.</summary>
    /// <returns>The mapping's address, or <see cref="MapFailed"/> with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);
}
