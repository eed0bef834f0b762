namespace Uring.Native;

/// <summary>
/// The process's entry points into the C library and the kernel. One file per call
/// (<c>Interop.X.cs</c>), as in dotnet/runtime's <c>Common/src/Interop</c>: each file says which
/// syscall or libc function it wraps and what it returns on failure.
/// </summary>
/// <remarks>
/// All imports go through <see cref="System.Runtime.InteropServices.LibraryImportAttribute"/> (source-generated
/// marshalling, no runtime IL stubs) with <c>SetLastError = true</c>, so <c>errno</c> is read
/// by <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/> right after the call.
/// </remarks>
internal static partial class Interop
{
    /// <summary>glibc and musl both export their symbols from the library the loader calls "libc".</summary>
    internal const string Libc = "libc";

    /// <summary>The errno of the last failed import on this thread.</summary>
    internal static Errno LastErrno => (Errno)System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
}
