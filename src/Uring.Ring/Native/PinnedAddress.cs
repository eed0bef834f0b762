using System.Buffers;

namespace Uring.Native;

/// <summary>Reads the address of pinned memory as the <see cref="ulong"/> an SQE carries.</summary>
internal static unsafe class PinnedAddress
{
    internal static ulong Of(in MemoryHandle handle) => (ulong)handle.Pointer;
}
