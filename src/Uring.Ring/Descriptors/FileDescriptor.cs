using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Uring;

/// <summary>
/// The descriptor an operation targets: a raw fd, a <see cref="SafeHandle"/> (a
/// <see cref="Socket"/>'s included), or a ring's <see cref="Uring.RegisteredFile"/> (a direct
/// descriptor, sent with <c>IOSQE_FIXED_FILE</c>). Converts implicitly from all four. A handle is referenced
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

    /// <summary>The ring whose registered-file table <see cref="_raw"/> indexes; null for an fd.</summary>
    private readonly Ring? _ring;

    private FileDescriptor(int raw, SafeHandle? handle, Ring? ring = null)
    {
        _raw = raw;
        Handle = handle;
        _ring = ring;
    }

    /// <summary>The owning handle, or null for a raw fd.</summary>
    public SafeHandle? Handle { get; }

    /// <summary>The descriptor number (read from the handle when there is one); for a registered file, its slot in the table.</summary>
    public int Value => Handle is null ? _raw : (int)Handle.DangerousGetHandle();

    /// <summary>True for a direct descriptor (<see cref="FromRegistered"/>): <see cref="Value"/> is a slot of a ring's registered-file table, not an fd.</summary>
    public bool IsRegistered => _ring is not null;

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

    /// <summary>
    /// A direct descriptor: slot <paramref name="file"/> of its ring's registered-file table. Operations
    /// on that ring reach it with <c>IOSQE_FIXED_FILE</c>; any other ring refuses it with an
    /// <see cref="ArgumentException"/> before the kernel sees it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="file"/> is default.</exception>
    public static FileDescriptor FromRegistered(RegisteredFile file)
    {
        if (!file.IsValid)
        {
            throw new ArgumentException("The registered file is default; pass one that an accept into the table or Ring.RegisterFile returned.", nameof(file));
        }

        return new FileDescriptor(file.Index, null, file.Ring);
    }

    /// <summary>Converts a direct descriptor; see <see cref="FromRegistered"/>.</summary>
    public static implicit operator FileDescriptor(RegisteredFile file) => FromRegistered(file);

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
    public bool Equals(FileDescriptor other) => ReferenceEquals(Handle, other.Handle) && ReferenceEquals(_ring, other._ring) && _raw == other._raw;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FileDescriptor other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Handle?.GetHashCode() ?? HashCode.Combine(_raw, _ring);

    /// <inheritdoc />
    public override string ToString() =>
        _ring is not null ? $"registered file {_raw}" : Handle is null ? $"fd {_raw}" : $"fd {Value} ({Handle.GetType().Name})";

    /// <summary>The direct descriptor this stands for; only when <see cref="IsRegistered"/>.</summary>
    internal RegisteredFile AsRegistered => new(_ring!, _raw);

    /// <summary>
    /// Checks the descriptor and, for a handle, takes a reference that <see cref="Release"/> returns.
    /// Throws before anything reaches the kernel.
    /// </summary>
    internal int AddRef(string parameterName)
    {
        if (_ring is not null)
        {
            // Callers route direct descriptors through the ring's own check (OperationSlot.Reference).
            throw new ArgumentException("A registered file has no descriptor number; this call needs an open fd.", parameterName);
        }

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
