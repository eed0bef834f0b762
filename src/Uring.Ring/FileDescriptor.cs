using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Uring;

/// <summary>
/// The descriptor an operation targets: a raw fd, or a <see cref="SafeHandle"/> (a
/// <see cref="Socket"/>'s included). Converts implicitly from all three. A handle is referenced
/// (<see cref="SafeHandle.DangerousAddRef"/>) from submission until the operation's final
/// completion, so closing the <see cref="Socket"/> meanwhile cannot recycle the fd number under
/// the kernel; a raw fd carries no such protection.
/// </summary>
/// <remarks>
/// .NET's <see cref="Socket.Dispose()"/> waits until no one references the handle (for TCP it first
/// aborts the connection so that pending operations return). So disposing a socket whose ring
/// operation is still in flight blocks until that operation's completion is reaped: cancel the
/// operations first (or dispose the ring first), and never dispose such a socket on the only
/// thread that reaps the ring.
/// </remarks>
public readonly struct FileDescriptor : IEquatable<FileDescriptor>
{
    private readonly int _raw;

    private FileDescriptor(int raw, SafeHandle? handle)
    {
        _raw = raw;
        Handle = handle;
    }

    /// <summary>The owning handle, or null for a raw fd.</summary>
    public SafeHandle? Handle { get; }

    /// <summary>The descriptor number (read from the handle when there is one).</summary>
    public int Value => Handle is null ? _raw : (int)Handle.DangerousGetHandle();

    /// <summary>A raw descriptor that no managed object owns (for example from <see cref="Socket.Handle"/> after the socket was given up, or an accepted fd).</summary>
    public static FileDescriptor FromRaw(int fd) => new(fd, null);

    /// <summary>A descriptor owned by <paramref name="handle"/>.</summary>
    public static FileDescriptor FromHandle(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return new FileDescriptor(-1, handle);
    }

    /// <summary>The descriptor of <paramref name="socket"/>, protected by its handle.</summary>
    public static FileDescriptor FromSocket(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return FromHandle(socket.SafeHandle);
    }

    /// <summary>Converts a raw fd; see <see cref="FromRaw"/>.</summary>
    public static implicit operator FileDescriptor(int fd) => FromRaw(fd);

    /// <summary>Converts a socket; see <see cref="FromSocket"/>.</summary>
    public static implicit operator FileDescriptor(Socket socket) => FromSocket(socket);

    /// <summary>Converts a handle; see <see cref="FromHandle"/>.</summary>
    public static implicit operator FileDescriptor(SafeHandle handle) => FromHandle(handle);

    /// <summary>Equality by handle, or by number for raw fds.</summary>
    public static bool operator ==(FileDescriptor left, FileDescriptor right) => left.Equals(right);

    /// <summary>Inequality by handle, or by number for raw fds.</summary>
    public static bool operator !=(FileDescriptor left, FileDescriptor right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(FileDescriptor other) => ReferenceEquals(Handle, other.Handle) && _raw == other._raw;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FileDescriptor other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Handle is null ? _raw : Handle.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Handle is null ? $"fd {_raw}" : $"fd {Value} ({Handle.GetType().Name})";

    /// <summary>
    /// Checks the descriptor and, for a handle, takes a reference that <see cref="Release"/> returns.
    /// Throws before anything reaches the kernel.
    /// </summary>
    internal int AddRef(string parameterName)
    {
        if (Handle is null)
        {
            if (_raw < 0)
            {
                throw new ArgumentOutOfRangeException(parameterName, _raw, "A file descriptor must not be negative.");
            }

            return _raw;
        }

        if (Handle.IsClosed)
        {
            throw new ObjectDisposedException(Handle.GetType().Name, "The socket or handle passed as the descriptor is closed.");
        }

        if (Handle.IsInvalid)
        {
            throw new ArgumentException("The handle does not hold a valid file descriptor.", parameterName);
        }

        var added = false;
        Handle.DangerousAddRef(ref added); // throws ObjectDisposedException once the handle is closed
        return (int)Handle.DangerousGetHandle();
    }

    /// <summary>Returns the reference <see cref="AddRef"/> took.</summary>
    internal void Release() => Handle?.DangerousRelease();
}
