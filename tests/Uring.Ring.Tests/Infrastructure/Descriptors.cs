using Uring.Native;

namespace Uring.Tests.Infrastructure;

/// <summary>Reads a descriptor's flags with fcntl, to check what the kernel created.</summary>
public static class Descriptors
{
    public static bool IsNonBlocking(int fd) => (Interop.Fcntl(fd, Interop.FGetFl) & Interop.ONonblock) != 0;

    public static bool IsCloseOnExec(int fd) => (Interop.Fcntl(fd, Interop.FGetFd) & Interop.FdCloexec) != 0;

    public static bool IsOpen(int fd) => Interop.Fcntl(fd, Interop.FGetFd) >= 0;
}
