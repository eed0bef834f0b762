using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// A provided-buffer ring (<c>IORING_REGISTER_PBUF_RING</c>, 5.19): a page-aligned ring of
/// <c>io_uring_buf</c> entries the kernel takes receive buffers from, plus the buffers themselves,
/// all in native memory. The kernel picks a buffer per completion and reports its id; the buffer
/// comes back with <see cref="Recycle"/> — at once in copy mode (the reaper copied the data out),
/// or when a <see cref="ReceivedLease"/> over it is disposed, on any thread.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Recycling is serialised by a lock: the reaper and any number of lease
/// owners may give buffers back concurrently, and each must write its entry and publish the tail
/// without another writer interleaving (two writers reading the same private tail would fill one
/// entry twice and skip another — the kernel would then hand out a stale entry: one buffer twice).</para>
/// <para><b>Lifetime: when the memory may be freed.</b> Two kinds of holders keep the memory
/// allocated, counted together in one reference count:
/// <list type="bullet">
/// <item>the kernel's registration — one reference from <see cref="Register"/>, dropped by
/// <see cref="Release"/> after <c>IORING_UNREGISTER_PBUF_RING</c> succeeded, or after the ring was
/// closed with no operation left in it (the kernel drops a ring's registrations with the ring);</item>
/// <item>each outstanding lease — one reference from <see cref="Lease"/>, dropped by
/// <see cref="ReturnLease"/> (the lease's Dispose, or its finalizer).</item>
/// </list>
/// The memory is freed by whoever drops the last reference, on whatever thread that is — freeing
/// needs no syscall, so no thread rule applies. Unregistering is done as before, when the operation
/// that used the ring ended (by the submitter thread, or deferred to it on a SingleIssuer ring), and
/// need not wait for the leases: once the operation's final completion was reaped no request names
/// this buffer group, so the kernel neither picks a buffer from the ring nor writes into a buffer it
/// handed out. Unregistering early also frees the group id for the next receive. After that, a lease
/// that recycles its buffer writes only into memory the kernel no longer reads; harmless. Because a
/// lease always recycles before it drops its reference, the last reference is dropped after the last
/// write into the ring: nothing touches the memory after <see cref="Release"/> frees it. If the
/// kernel refuses to unregister, the registration's reference is never dropped and the memory is
/// leaked rather than freed under the kernel. A lease returned by its finalizer (never disposed)
/// recycles its buffer but keeps its reference forever: a span over it may still be read.</para>
/// <para>Closing: <see cref="Ring.Dispose"/> drains every operation first; buffer rings still
/// waiting for a submitter-thread unregistration then only drop the registration's reference (the
/// kernel drops a closed ring's registrations, and no request is left to use them).</para>
/// </remarks>
internal sealed unsafe class ProvidedBufferRing
{
    private const int EntrySize = 16;

    /// <summary>Offset of the 16-bit tail: it overlays <c>bufs[0].resv</c> in <c>struct io_uring_buf_ring</c>.</summary>
    private const int TailOffset = 14;

    private readonly byte* _ring;
    private readonly byte* _buffers;
    private readonly nuint _ringBytes;
    private readonly uint _mask;
    private readonly Lock _tailLock = new();
    private ushort _tail;
    private int _references = 1;
    private int _leased;
    private TaskCompletionSource? _bufferReturned;

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

    /// <summary>Buffers handed out in leases and not returned yet.</summary>
    internal int Leased => Volatile.Read(ref _leased);

    /// <summary>True once the memory has been freed (a diagnostic for tests and asserts).</summary>
    internal bool IsFreed => Volatile.Read(ref _references) == 0;

    /// <summary>Allocates the ring and registers it with the kernel as buffer group <paramref name="groupId"/>.</summary>
    internal static ProvidedBufferRing Register(KernelRing kernel, ushort groupId, int bufferSize, int bufferCount)
    {
        var entries = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)bufferCount);
        var ring = new ProvidedBufferRing(groupId, bufferSize, bufferCount, entries);
        var registration = new BufferRegistration { RingAddress = (ulong)ring._ring, RingEntries = entries, GroupId = groupId };
        var result = kernel.Register(RegisterOpcode.RegisterPbufRing, &registration, 1);
        if (result < 0)
        {
            ring.Release(); // never registered: the only reference
            throw UringException.FromErrno("io_uring_register(IORING_REGISTER_PBUF_RING)", (Errno)(-result),
                (Errno)(-result) == Errno.EEXIST ? "The buffer group id is taken, or this SingleIssuer ring is registered from a thread that is not its submitter." : null);
        }

        return ring;
    }

    /// <summary>The bytes the kernel received into buffer <paramref name="bufferId"/>.</summary>
    internal ReadOnlySpan<byte> Read(ushort bufferId, int length) => Span(bufferId, length);

    /// <summary>Buffer <paramref name="bufferId"/>'s first <paramref name="length"/> bytes (at most the buffer size), writable.</summary>
    internal Span<byte> Span(ushort bufferId, int length) =>
        new(BufferAddress(bufferId), Math.Min(length, BufferSize));

    /// <summary>A handle to byte <paramref name="offset"/> of buffer <paramref name="bufferId"/> (native memory never moves; <paramref name="owner"/> is told when the handle is disposed).</summary>
    internal MemoryHandle Pin(ushort bufferId, int offset, IPinnable owner) =>
        new(BufferAddress(bufferId) + offset, default, owner);

    /// <summary>Returns buffer <paramref name="bufferId"/> to the kernel; any thread.</summary>
    internal void Recycle(ushort bufferId)
    {
        lock (_tailLock)
        {
            Debug.Assert(!IsFreed, "recycling into a freed buffer ring");
            Add(bufferId);
            PublishTail();
        }
    }

    /// <summary>Hands a buffer to a lease: one more reference to the memory. Reaper thread, while the registration's reference is held.</summary>
    internal void Lease()
    {
        Debug.Assert(!IsFreed, "leasing from a freed buffer ring");
        Interlocked.Increment(ref _references);
        Interlocked.Increment(ref _leased);
    }

    /// <summary>
    /// A lease gives its buffer back: recycle it first, then drop the lease's reference (which frees
    /// the memory if it was the last) — unless <paramref name="keepMemory"/>: a finalized lease keeps
    /// its reference forever (see <see cref="ReceivedLease"/>'s finalizer).
    /// </summary>
    internal void ReturnLease(ushort bufferId, bool keepMemory)
    {
        TaskCompletionSource? waiter;
        lock (_tailLock)
        {
            Add(bufferId);
            PublishTail();
            _leased--;
            waiter = _bufferReturned;
            _bufferReturned = null;
        }

        if (!keepMemory)
        {
            Release();
        }

        waiter?.TrySetResult(); // runs continuations asynchronously: never inside a lease's Dispose
    }

    /// <summary>
    /// Completes once fewer than <see cref="BufferCount"/> buffers are leased — at once if that is
    /// already so. Only managed state is touched: safe after the memory was freed.
    /// </summary>
    internal Task WhenBufferReturned()
    {
        lock (_tailLock)
        {
            if (_leased < BufferCount)
            {
                return Task.CompletedTask;
            }

            _bufferReturned ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _bufferReturned.Task;
        }
    }

    /// <summary>IORING_UNREGISTER_PBUF_RING. Returns 0 or the negated errno; only after success may the registration's reference be released.</summary>
    internal int Unregister(KernelRing kernel)
    {
        var registration = new BufferRegistration { GroupId = GroupId };
        return kernel.Register(RegisterOpcode.UnregisterPbufRing, &registration, 1);
    }

    /// <summary>
    /// Drops one reference — the kernel's registration (once the kernel no longer knows the ring:
    /// unregistered, never registered, or its ring closed with nothing in flight) or a lease's — and
    /// frees the ring and the buffers when it was the last. Any thread.
    /// </summary>
    internal void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        Debug.Assert(left >= 0, "a buffer ring released more often than referenced");
        if (left == 0)
        {
            NativeMemory.AlignedFree(_ring);
            NativeMemory.Free(_buffers);
        }
    }

    private byte* BufferAddress(ushort bufferId) => _buffers + ((nuint)bufferId * (nuint)BufferSize);

    /// <summary>Writes the next ring entry. Under the tail lock (or in the constructor, before anyone else sees the ring).</summary>
    private void Add(ushort bufferId)
    {
        var entry = (BufferEntry*)(_ring + ((_tail & _mask) * EntrySize));
        entry->Address = (ulong)BufferAddress(bufferId);
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
