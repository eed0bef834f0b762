using System.Net.Sockets;
using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_SHUTDOWN (5.11): <c>shutdown(fd, how)</c>.</summary>
/// <param name="Fd">The socket.</param>
/// <param name="How">Which direction(s) to shut; .NET's values equal SHUT_RD, SHUT_WR and SHUT_RDWR.</param>
public readonly record struct ShutdownOperation(int Fd, SocketShutdown How) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Shutdown;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Length = (uint)How;
    }
}
