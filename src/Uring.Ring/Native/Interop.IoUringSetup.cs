namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary><c>int io_uring_setup(u32 entries, struct io_uring_params *p)</c>: creates a ring and fills <paramref name="parameters"/>.</summary>
    /// <returns>The ring's file descriptor, or -1 with errno set.</returns>
    internal static int IoUringSetup(uint entries, IoUringParams* parameters) =>
        (int)Syscall(SyscallNumber.IoUringSetup, entries, (long)parameters, 0, 0, 0, 0);
}
