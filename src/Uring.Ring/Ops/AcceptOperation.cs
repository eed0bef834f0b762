using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_ACCEPT: <c>accept4(fd, addr, addrlen, flags)</c>; the result is the new descriptor.
/// With <paramref name="Multishot"/> (5.19) the request stays armed and posts one completion per
/// connection (<see cref="CompletionFlags.More"/> while armed); pass no address then, since every
/// connection would overwrite it.
/// </summary>
/// <param name="Fd">The listening socket.</param>
/// <param name="Sockaddr">Where the peer address goes (0: not wanted); valid until the completion.</param>
/// <param name="AddressLength">Address of the <c>socklen_t</c> holding the sockaddr's capacity, updated by the kernel (0 with no address).</param>
/// <param name="Flags">SOCK_NONBLOCK / SOCK_CLOEXEC for the accepted descriptor.</param>
/// <param name="Multishot">Keep accepting (IORING_ACCEPT_MULTISHOT).</param>
/// <param name="FileIndex">
/// <c>file_index</c> (5.15): 0 for an ordinary fd; slot + 1 to install the connection into that slot of
/// the registered-file table; <c>IORING_FILE_INDEX_ALLOC</c> (<c>uint.MaxValue</c>, 5.19) to let the
/// kernel pick a free slot, which becomes the result. Direct accepts refuse SOCK_CLOEXEC (EINVAL),
/// and a multishot one must use IORING_FILE_INDEX_ALLOC.
/// </param>
public readonly record struct AcceptOperation(int Fd, ulong Sockaddr, ulong AddressLength, SocketCreationFlags Flags, bool Multishot = false, uint FileIndex = 0) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Accept;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Sockaddr;
        entry.Offset = AddressLength;
        entry.OpFlags = (uint)Flags;
        entry.SpliceFdIn = FileIndex;
        if (Multishot)
        {
            entry.IoPriority = KernelConstants.AcceptMultishot;
        }
    }
}
