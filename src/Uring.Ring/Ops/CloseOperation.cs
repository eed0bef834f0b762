using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_CLOSE (5.6): <c>close(fd)</c>; or, with <paramref name="FileIndex"/> (5.15), empties slot
/// <c>FileIndex - 1</c> of the registered-file table (then <paramref name="Fd"/> must be 0, and the SQE
/// must not carry IOSQE_FIXED_FILE: the kernel answers EBADF).
/// </summary>
/// <param name="Fd">The descriptor; nothing else may own it.</param>
/// <param name="FileIndex">0 for an fd; slot + 1 to close a direct descriptor.</param>
public readonly record struct CloseOperation(int Fd, uint FileIndex = 0) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Close;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.SpliceFdIn = FileIndex;
    }
}
