namespace Uring.Native;

internal static unsafe partial class Interop
{
    /// <summary>
    /// <c>int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete, unsigned flags, const void *arg, size_t argsz)</c>:
    /// submits <paramref name="toSubmit"/> SQEs and, with <see cref="EnterFlags.GetEvents"/>, waits for
    /// <paramref name="minComplete"/> CQEs. With <see cref="EnterFlags.ExtArg"/>, <paramref name="arg"/> is an
    /// <see cref="GetEventsArg"/> carrying the wait timeout.
    /// </summary>
    /// <returns>The number of SQEs consumed, or -1 with errno set (EINTR, ETIME, EBUSY, EAGAIN…).</returns>
    internal static int IoUringEnter(int ringFd, uint toSubmit, uint minComplete, EnterFlags flags, void* arg, nuint argSize) =>
        (int)Syscall(SyscallNumber.IoUringEnter, ringFd, toSubmit, minComplete, (uint)flags, (long)arg, (long)argSize);
}
