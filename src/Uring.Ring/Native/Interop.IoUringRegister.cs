namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary>
    /// <c>int io_uring_register(unsigned fd, unsigned opcode, void *arg, unsigned nr_args)</c>. Under
    /// <c>IORING_SETUP_SINGLE_ISSUER</c> only the submitter task may call it (others get EEXIST).
    /// </summary>
    /// <returns>An opcode-specific non-negative value, or -1 with errno set.</returns>
    internal static int IoUringRegister(int ringFd, RegisterOpcode opcode, void* arg, uint argCount) =>
        (int)Syscall(SyscallNumber.IoUringRegister, ringFd, (uint)opcode, (long)arg, argCount, 0, 0);
}
