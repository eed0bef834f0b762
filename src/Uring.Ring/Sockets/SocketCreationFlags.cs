namespace Uring;

/// <summary>
/// <c>SOCK_NONBLOCK</c> / <c>SOCK_CLOEXEC</c>: flags for the descriptors that accept and socket
/// operations create, with Linux's values.
/// </summary>
[Flags]
public enum SocketCreationFlags
{
    /// <summary>A blocking descriptor that child processes inherit.</summary>
    None = 0,
    /// <summary>SOCK_NONBLOCK: the new descriptor is non-blocking (ready for a proactor without a follow-up <c>fcntl</c>).</summary>
    NonBlocking = 0x800,
    /// <summary>SOCK_CLOEXEC: the new descriptor is closed in child processes after <c>exec</c>.</summary>
    CloseOnExec = 0x80000,
}
