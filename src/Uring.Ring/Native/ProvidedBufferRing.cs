using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// A provided-buffer ring (<c>IORING_REGISTER_PBUF_RING</c>, 5.19): a page-aligned ring of
/// <c>io_uring_buf</c> entries the kernel takes receive buffers from, plus the buffers themselves,
/// all in native memory. The kernel picks a buffer per completion and reports its id; the reaper
/// copies the data out and gives the buffer back with <see cref="Recycle"/>. Single producer: only
/// the thread that reaps completions recycles.
/// </summary>
internal sealed unsafe class ProvidedBufferRing
{
    private const int EntrySize = 16;

    /// <summary>Offset of the 16-bit tail: it overlays <c>bufs[0].resv</c> in <c>struct io_uring_buf_ring</c>.</summary>
    private const int TailOffset = 14;

    private readonly byte* _ring;
    private readonly byte* _buffers;
    private readonly nuint _ringBytes;
    private readonly uint _mask;
    private ushort _tail;

    private ProvidedBufferRing(ushort groupId, int bufferSize, int bufferCount, uint entries)
    {
        GroupId = groupId;
        BufferSize = bufferSize;
        BufferCount = bufferCount;
        _mask = entries - 1;
        _ringBytes = (nuint)Math.Max(Environment.SystemPageSize, (int)entries * EntrySize);
        _ring = (byte*)NativeMemory.AlignedAlloc(_ringBytes, (nuint)Environment.SystemPageSize);
        NativeMemory.Clear(_ring, _ringBytes);
        _buffers = (byte*)NativeMemory.Alloc((nuint)bufferSize * (nuint)bufferCount);
        for (var id = 0; id < bufferCount; id++)
        {
            Add((ushort)id);
        }

        PublishTail();
    }

    internal ushort GroupId { get; }

    internal int BufferSize { get; }

    internal int BufferCount { get; }

    /// <summary>Allocates the ring and registers it with the kernel as buffer group <paramref name="groupId"/>.</summary>
    internal static ProvidedBufferRing Register(KernelRing kernel, ushort groupId, int bufferSize, int bufferCount)
    {
        var entries = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)bufferCount);
        var ring = new ProvidedBufferRing(groupId, bufferSize, bufferCount, entries);
        var registration = new BufferRegistration { RingAddress = (ulong)ring._ring, RingEntries = entries, GroupId = groupId };
        var result = kernel.Register(RegisterOpcode.RegisterPbufRing, &registration, 1);
        if (result < 0)
        {
            ring.Free();
            throw UringException.FromErrno("io_uring_register(IORING_REGISTER_PBUF_RING)", (Errno)(-result),
                (Errno)(-result) == Errno.EEXIST ? "The buffer group id is taken, or this SingleIssuer ring is registered from a thread that is not its submitter." : null);
        }

        return ring;
    }

    /// <summary>The bytes the kernel received into buffer <paramref name="bufferId"/>.</summary>
    internal ReadOnlySpan<byte> Read(ushort bufferId, int length) =>
        new(_buffers + ((nuint)bufferId * (nuint)BufferSize), Math.Min(length, BufferSize));

    /// <summary>Returns buffer <paramref name="bufferId"/> to the kernel.</summary>
    internal void Recycle(ushort bufferId)
    {
        Add(bufferId);
        PublishTail();
    }

    /// <summary>IORING_UNREGISTER_PBUF_RING. Returns 0 or the negated errno; only after success may the memory be freed.</summary>
    internal int Unregister(KernelRing kernel)
    {
        var registration = new BufferRegistration { GroupId = GroupId };
        return kernel.Register(RegisterOpcode.UnregisterPbufRing, &registration, 1);
    }

    /// <summary>Frees the ring and the buffers. Only once the kernel no longer knows the ring (unregistered, or never registered).</summary>
    internal void Free()
    {
        NativeMemory.AlignedFree(_ring);
        NativeMemory.Free(_buffers);
    }

    private void Add(ushort bufferId)
    {
        var entry = (BufferEntry*)(_ring + ((_tail & _mask) * EntrySize));
        entry->Address = (ulong)(_buffers + ((nuint)bufferId * (nuint)BufferSize));
        entry->Length = (uint)BufferSize;
        entry->BufferId = bufferId;
        _tail++;
    }

    /// <summary>Release: the entries written above are visible before the new tail; pairs with the kernel's smp_load_acquire of <c>br->tail</c>.</summary>
    private void PublishTail() => Volatile.Write(ref *(ushort*)(_ring + TailOffset), _tail);

    /// <summary><c>struct io_uring_buf</c> (16 bytes); writing it leaves <c>resv</c> (the tail, in entry 0) alone.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct BufferEntry
    {
        internal ulong Address;
        internal uint Length;
        internal ushort BufferId;
    }

    /// <summary><c>struct io_uring_buf_reg</c> (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BufferRegistration
    {
        internal ulong RingAddress;
        internal uint RingEntries;
        internal ushort GroupId;
        internal ushort Flags;
        internal ulong Reserved0;
        internal ulong Reserved1;
        internal ulong Reserved2;
    }
}
