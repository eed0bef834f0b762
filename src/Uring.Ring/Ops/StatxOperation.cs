using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_STATX (5.6): <c>statx(dirfd, path, flags, mask, buffer)</c>; the result is 0 and the <c>struct statx</c> is filled.</summary>
/// <param name="DirectoryFd">The directory a relative path starts from, AT_FDCWD (-100), or with AT_EMPTY_PATH the descriptor to describe.</param>
/// <param name="Path">Address of the NUL-terminated path (empty with AT_EMPTY_PATH), valid until the completion.</param>
/// <param name="Flags">AT_* flags (AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW).</param>
/// <param name="Mask">STATX_* fields requested.</param>
/// <param name="Buffer">Address of a 256-byte <c>struct statx</c> the kernel writes before the completion.</param>
public readonly record struct StatxOperation(int DirectoryFd, ulong Path, uint Flags, uint Mask, ulong Buffer) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.Statx;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = DirectoryFd;
        entry.Address = Path;
        entry.Length = Mask;
        entry.Offset = Buffer;
        entry.OpFlags = Flags;
    }
}
