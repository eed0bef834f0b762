namespace Uring;

/// <summary>
/// A direct descriptor: slot <see cref="Index"/> of one <see cref="Ring"/>'s registered-file table
/// (<see cref="Ring.RegisterFileTable"/>). The kernel holds the file there, with no fd number in the
/// process; operations reach it with <c>IOSQE_FIXED_FILE</c>, which spares the kernel the fd lookup
/// and reference count of every request. Pass it wherever an operation takes a
/// <see cref="FileDescriptor"/> (it converts implicitly), on the ring that made it only.
/// </summary>
/// <remarks>
/// Nothing in managed code owns the slot: close it with <see cref="Ring.SubmitClose(RegisteredFile, object?)"/>,
/// or let <see cref="Ring.Dispose"/> close every direct descriptor with the table. A closed or never
/// filled slot makes operations fail with EBADF; a slot may be refilled (by an accept into the
/// table, or <see cref="Ring.RegisterFile"/>) once closed, so do not keep using a value after closing it.
/// Being no fd, a direct descriptor cannot be passed to <c>getpeername</c>, <c>setsockopt</c> or a
/// <see cref="System.Net.Sockets.Socket"/>.
/// </remarks>
public readonly struct RegisteredFile : IEquatable<RegisteredFile>
{
    internal RegisteredFile(Ring ring, int index)
    {
        Ring = ring;
        Index = index;
    }

    /// <summary>The slot in the ring's registered-file table, from 0.</summary>
    public int Index { get; }

    /// <summary>False for <c>default(RegisteredFile)</c>.</summary>
    public bool IsValid => Ring is not null;

    internal Ring? Ring { get; }

    /// <summary>Equality of ring and slot.</summary>
    public static bool operator ==(RegisteredFile left, RegisteredFile right) => left.Equals(right);

    /// <summary>Inequality of ring or slot.</summary>
    public static bool operator !=(RegisteredFile left, RegisteredFile right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(RegisteredFile other) => ReferenceEquals(Ring, other.Ring) && Index == other.Index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RegisteredFile other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ring, Index);

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"registered file {Index}" : "registered file (default)";
}
