using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// A slot's block of native memory for the structures the kernel reads or writes beside the data:
/// a <c>sockaddr_storage</c> with its <c>socklen_t</c> (connect, accept, sendto, recvmsg), a
/// <c>msghdr</c> and an <c>iovec</c> array; or, for a statx, the <c>struct statx</c> the kernel fills,
/// laid over those (a statx uses none of them). Native, so the GC never moves it; owned by the slot
/// and reused by its operations, so steady state allocates nothing; freed only with the ring.
/// </summary>
internal sealed unsafe class SlotScratch : IDisposable
{
    /// <summary>The most buffers one sendmsg, readv or writev can gather.</summary>
    internal const int MaxSegments = 16;

    /// <summary><c>sizeof(struct sockaddr_storage)</c>.</summary>
    internal const int SockaddrCapacity = 128;

    private const int AddressLengthOffset = SockaddrCapacity;
    private const int MessageHeaderOffset = AddressLengthOffset + 8;
    private const int IovecOffset = MessageHeaderOffset + 56;
    private const int DeadlineOffset = IovecOffset + (16 * MaxSegments);

    /// <summary>The block's size in bytes (464): room for a 256-byte <c>struct statx</c> too.</summary>
    internal const int Size = DeadlineOffset + 16;

    private byte* _memory;

    internal SlotScratch()
    {
        _memory = (byte*)NativeMemory.AlignedAlloc(Size, 64);
        NativeMemory.Clear(_memory, Size);
    }

    /// <summary>Address of the sockaddr area.</summary>
    internal ulong SockaddrAddress => (ulong)_memory;

    /// <summary>Address of the socklen_t that accept fills in.</summary>
    internal ulong AddressLengthAddress => (ulong)(_memory + AddressLengthOffset);

    /// <summary>Address of the msghdr.</summary>
    internal ulong MessageHeaderAddress => (ulong)(_memory + MessageHeaderOffset);

    /// <summary>The sockaddr area, to encode a destination into or decode a source from.</summary>
    internal Span<byte> Sockaddr => new(_memory, SockaddrCapacity);

    /// <summary>The socklen_t beside the sockaddr.</summary>
    internal uint AddressLength
    {
        get => *(uint*)(_memory + AddressLengthOffset);
        set => *(uint*)(_memory + AddressLengthOffset) = value;
    }

    /// <summary>
    /// Fills the msghdr: <c>msg_name</c> points at the sockaddr area when <paramref name="nameLength"/>
    /// is not zero, <c>msg_iov</c> at the iovec array holding <paramref name="segments"/>.
    /// </summary>
    internal void PrepareMessage(uint nameLength, ReadOnlySpan<(ulong Address, uint Length)> segments)
    {
        var header = (MessageHeader*)(_memory + MessageHeaderOffset);
        *header = new MessageHeader
        {
            Name = nameLength == 0 ? 0 : (ulong)_memory,
            NameLength = nameLength,
            Iov = PrepareIovecs(segments),
            IovLength = (ulong)segments.Length,
        };
    }

    /// <summary>What the kernel wrote back into the msghdr of a recvmsg: the source's length and the flags.</summary>
    internal (uint NameLength, int Flags) MessageResult
    {
        get
        {
            var header = (MessageHeader*)(_memory + MessageHeaderOffset);
            return (header->NameLength, header->Flags);
        }
    }

    /// <summary>
    /// Writes a <c>__kernel_timespec</c> of <paramref name="duration"/> at the start of the block (a
    /// timeout uses no socket address) and returns its address; it stays valid until the slot's
    /// final completion, as the kernel reads it when the timer is armed.
    /// </summary>
    internal ulong PrepareTimespec(TimeSpan duration)
    {
        var timespec = (long*)_memory;
        timespec[0] = duration.Ticks / TimeSpan.TicksPerSecond;
        timespec[1] = duration.Ticks % TimeSpan.TicksPerSecond * 100;
        return (ulong)_memory;
    }

    /// <summary>
    /// Fills the iovec array with <paramref name="segments"/> (for a readv or writev, or a msghdr) and
    /// returns its address; it stays valid until the slot's final completion.
    /// </summary>
    internal ulong PrepareIovecs(ReadOnlySpan<(ulong Address, uint Length)> segments)
    {
        // The callers check the count first; this is the last guard against writing past the iovec array.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segments.Length, MaxSegments, nameof(segments));
        var iovecs = (Iovec*)(_memory + IovecOffset);
        for (var i = 0; i < segments.Length; i++)
        {
            iovecs[i] = new Iovec { Base = segments[i].Address, Length = segments[i].Length };
        }

        return (ulong)iovecs;
    }

    /// <summary>
    /// Clears a <c>struct statx</c> at the start of the block for the kernel to fill and returns its
    /// address. The kernel writes it when the statx runs, possibly on a worker after the submit
    /// returned: it must stay here until the final completion, which the slot guarantees.
    /// </summary>
    internal ulong PrepareStatx()
    {
        NativeMemory.Clear(_memory, (nuint)sizeof(StatxBuffer));
        return (ulong)_memory;
    }

    /// <summary>Decodes the <c>struct statx</c> a successful statx wrote (see <see cref="PrepareStatx"/>).</summary>
    internal FileStatus ReadFileStatus() => ((StatxBuffer*)_memory)->ToFileStatus();

    /// <summary>
    /// Writes the <c>__kernel_timespec</c> of an operation's deadline (its linked timeout) in an area
    /// of its own — the operation itself may use the sockaddr, msghdr and iovecs, and accept and
    /// recvmsg have the kernel write there — and returns its address; valid until the slot is freed.
    /// </summary>
    internal ulong PrepareDeadline(TimeSpan duration)
    {
        var timespec = (long*)(_memory + DeadlineOffset);
        timespec[0] = duration.Ticks / TimeSpan.TicksPerSecond;
        timespec[1] = duration.Ticks % TimeSpan.TicksPerSecond * 100;
        return (ulong)timespec;
    }

    /// <summary>Reads the peer address of connected socket <paramref name="fd"/> into the sockaddr area; returns its length, or 0 on failure.</summary>
    internal uint ReadPeerName(int fd)
    {
        uint length = SockaddrCapacity;
        return Interop.GetPeerName(fd, _memory, &length) == 0 ? length : 0;
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }

    /// <summary><c>struct msghdr</c> on 64-bit Linux (56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MessageHeader
    {
        internal ulong Name;
        internal uint NameLength;
        internal ulong Iov;
        internal ulong IovLength;
        internal ulong Control;
        internal ulong ControlLength;
        internal int Flags;
    }

    /// <summary><c>struct iovec</c> (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Iovec
    {
        internal ulong Base;
        internal ulong Length;
    }
}
