using Uring.Native;

namespace Uring.Tests.Infrastructure;

/// <summary>Reads a descriptor's flags with fcntl, to check what the kernel created.</summary>
public static class Descriptors
{
    public static bool IsNonBlocking(int fd) => (Interop.Fcntl(fd, Interop.FGetFl) & Interop.ONonblock) != 0;

    public static bool IsCloseOnExec(int fd) => (Interop.Fcntl(fd, Interop.FGetFd) & Interop.FdCloexec) != 0;

    /// <summary>
    /// What <paramref name="fd"/> names (its <c>/proc/self/fd</c> link: a path, or <c>socket:[inode]</c>);
    /// null when the number is not open. Tests run in parallel and the kernel hands out the lowest
    /// free number, so a closed number may already name another test's descriptor: compare targets
    /// to tell "closed" from "reused".
    /// </summary>
    public static string? Target(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
}
