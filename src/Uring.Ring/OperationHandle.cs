namespace Uring;

/// <summary>
/// Identifies one submitted operation of one <see cref="Ring"/>, for <see cref="Ring.SubmitCancel"/>.
/// It stays safe to use after the operation completed: the slot's generation tag means a stale
/// handle never matches the slot's next operation.
/// </summary>
public readonly struct OperationHandle : IEquatable<OperationHandle>
{
    internal OperationHandle(Ring ring, ulong token, CompletionKind kind)
    {
        Ring = ring;
        Token = token;
        Kind = kind;
    }

    /// <summary>The kind of operation this handle names.</summary>
    public CompletionKind Kind { get; }

    /// <summary>The <c>user_data</c> the kernel sees for this operation (generation in the high 32 bits, slot in the low).</summary>
    public ulong Token { get; }

    /// <summary>False for <c>default(OperationHandle)</c>.</summary>
    public bool IsValid => Ring is not null;

    internal Ring? Ring { get; }

    /// <summary>Equality of ring and token.</summary>
    public static bool operator ==(OperationHandle left, OperationHandle right) => left.Equals(right);

    /// <summary>Inequality of ring or token.</summary>
    public static bool operator !=(OperationHandle left, OperationHandle right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(OperationHandle other) => ReferenceEquals(Ring, other.Ring) && Token == other.Token;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OperationHandle other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ring, Token);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} 0x{Token:x16}";
}
