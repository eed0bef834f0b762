using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_FALLOCATE (5.6): <c>fallocate(fd, mode, offset, length)</c>; the result is 0. The SQE
/// carries the length in <c>addr</c> and the mode in <c>len</c>, as the kernel's prep reads them.
/// </summary>
/// <param name="Fd">The file.</param>
/// <param name="Offset">The range's start.</param>
/// <param name="Length">The range's length.</param>
/// <param name="Mode">FALLOC_FL_* flags.</param>
public readonly record struct FallocateOperation(int Fd, long Offset, long Length, FallocateMode Mode) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Fallocate;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.Offset = (ulong)Offset;
        entry.Address = (ulong)Length;
        entry.Length = (uint)Mode;
    }
}
