using System.Runtime.InteropServices;

namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary><c>ssize_t read(int fd, void *buf, size_t count)</c>.</summary>
    /// <returns>Bytes read, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);

    /// <summary><c>ssize_t write(int fd, const void *buf, size_t count)</c>.</summary>
    /// <returns>Bytes written, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);
}
