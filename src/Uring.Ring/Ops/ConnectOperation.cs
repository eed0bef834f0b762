using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_CONNECT: <c>connect(fd, addr, addrlen)</c>; the result is 0 or an error such as ECONNREFUSED.</summary>
/// <param name="Fd">The socket.</param>
/// <param name="Sockaddr">Address of the destination sockaddr.</param>
/// <param name="AddressLength">The sockaddr's length.</param>
public readonly record struct ConnectOperation(int Fd, ulong Sockaddr, uint AddressLength) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Connect;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Address = Sockaddr;
        entry.Offset = AddressLength;
    }
}
