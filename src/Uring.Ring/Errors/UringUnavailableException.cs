namespace Uring;

/// <summary>
/// io_uring cannot be used in this process: not Linux, a kernel without io_uring (ENOSYS), or a
/// policy that forbids it (EPERM: a seccomp profile such as Docker's default, or
/// <c>kernel.io_uring_disabled</c>). The message says which and what to do.
/// </summary>
public sealed class UringUnavailableException : PlatformNotSupportedException
{
    /// <summary>Creates the exception with a message.</summary>
    public UringUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public UringUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UringUnavailableException()
        : base("io_uring is not available in this process.")
    {
    }

    internal UringUnavailableException(string message, Errno errno)
        : base(message)
    {
        Errno = errno;
        HResult = (int)errno;
    }

    /// <summary>The errno of the refused <c>io_uring_setup</c>, or <see cref="Errno.None"/> when no kernel call was made (not Linux).</summary>
    public Errno Errno { get; }
}
