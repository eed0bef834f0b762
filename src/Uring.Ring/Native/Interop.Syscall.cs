using System.Runtime.InteropServices;

namespace Uring.Native;

internal static partial class Interop
{
    /// <summary>
    /// <c>long syscall(long number, ...)</c> with a fixed arity of six arguments. The C library has no
    /// wrappers for io_uring's three syscalls, so they are called by number. Unused trailing
    /// arguments are passed as zero and ignored by the kernel. Calling the variadic <c>syscall</c>
    /// through a fixed signature is sound on x86-64 and arm64 Linux: its arguments are all integer
    /// registers, and <c>syscall</c> only moves them into the kernel's argument registers.
    /// </summary>
    /// <returns>The syscall's non-negative result, or -1 with errno set.</returns>
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6);

    /// <summary>Syscall numbers; io_uring's are the same on x86-64 and arm64 (the unified table).</summary>
    internal static class SyscallNumber
    {
        internal const long IoUringSetup = 425;
        internal const long IoUringEnter = 426;
        internal const long IoUringRegister = 427;
    }
}
