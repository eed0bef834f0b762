using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_FSYNC: <c>fsync(fd)</c>, or <c>fdatasync(fd)</c> when <paramref name="DataOnly"/>; the result is 0.</summary>
/// <param name="Fd">The file.</param>
/// <param name="DataOnly">IORING_FSYNC_DATASYNC: flush the data and only the metadata needed to read it back.</param>
public readonly record struct FsyncOperation(int Fd, bool DataOnly) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Fsync;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = Fd;
        entry.OpFlags = DataOnly ? KernelConstants.FsyncDataSync : 0;
    }
}
