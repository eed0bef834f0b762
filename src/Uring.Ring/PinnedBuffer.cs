using System.Runtime.InteropServices;

namespace Uring;

/// <summary>
/// A byte buffer on the pinned object heap: its address never changes, so the low-level
/// <see cref="RawRing"/> API can hand <see cref="Address"/> to the kernel without pinning per
/// operation. The caller keeps the buffer reachable until every operation using it has completed.
/// </summary>
public sealed class PinnedBuffer
{
    /// <summary>Allocates <paramref name="length"/> zeroed bytes on the pinned object heap.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is less than 1.</exception>
    public PinnedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Array = GC.AllocateArray<byte>(length, pinned: true);
        Address = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(Array, 0);
    }

    /// <summary>The bytes.</summary>
    public byte[] Array { get; }

    /// <summary>The address of the first byte, stable for the buffer's lifetime.</summary>
    public ulong Address { get; }

    /// <summary>The buffer's length.</summary>
    public int Length => Array.Length;

    /// <summary>The bytes as a span.</summary>
    public Span<byte> Span => Array;

    /// <summary>The bytes as memory.</summary>
    public Memory<byte> Memory => Array;

    /// <summary>The address of byte <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is outside the buffer.</exception>
    public ulong AddressOf(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, Length);
        return Address + (ulong)offset;
    }
}
