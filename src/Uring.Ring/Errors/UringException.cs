using System.Runtime.InteropServices;

namespace Uring;

/// <summary>
/// A kernel call made by Uring failed. Carries the <see cref="Errno"/> and a sentence on what to do
/// about it; the message names the call, the error and the advice.
/// </summary>
public class UringException : IOException
{
    /// <summary>Creates an exception with a message and no errno.</summary>
    public UringException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public UringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public UringException(string operation, Errno errno, string? advice = null)
        : base(Describe(operation, errno, advice))
    {
        Operation = operation;
        Errno = errno;
        HResult = (int)errno;
    }

    /// <summary>Creates an exception with no message.</summary>
    public UringException()
    {
    }

    /// <summary>The failed call (for example <c>io_uring_setup</c>), when the failure came from one.</summary>
    public string? Operation { get; }

    /// <summary>The kernel's error, or <see cref="Errno.None"/> when the failure was not an errno.</summary>
    public Errno Errno { get; }

    /// <summary>Builds the message: "call failed: EXXX (strerror text). Advice."</summary>
    internal static string Describe(string operation, Errno errno, string? advice)
    {
        var text = $"{operation} failed: {errno} ({Marshal.GetPInvokeErrorMessage((int)errno)}).";
        return advice is null ? text : $"{text} {advice}";
    }

    internal static UringException FromErrno(string operation, Errno errno, string? advice = null) =>
        new(operation, errno, advice);
}
