using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_SOCKET (5.19): <c>socket(domain, type | flags, protocol)</c>; the result is the new
/// descriptor. The kernel takes SOCK_NONBLOCK / SOCK_CLOEXEC in the type, as socket(2) does.
/// </summary>
/// <param name="Domain">AF_* (AF_INET 2, AF_INET6 10, AF_UNIX 1).</param>
/// <param name="Type">SOCK_* type.</param>
/// <param name="Protocol">Protocol number, or 0 for the type's default.</param>
/// <param name="Flags">SOCK_NONBLOCK / SOCK_CLOEXEC.</param>
public readonly record struct SocketOperation(int Domain, int Type, int Protocol, SocketCreationFlags Flags) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Socket;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Domain;
        entry.Offset = (ulong)(uint)(Type | (int)Flags);
        entry.Length = (uint)Protocol;
    }
}
