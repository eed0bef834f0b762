using Uring.Native;

namespace Uring.Ops;

/// <summary>IORING_OP_OPENAT (5.6): <c>openat(dirfd, path, flags, mode)</c>; the result is the new descriptor.</summary>
/// <param name="DirectoryFd">The directory a relative path starts from, or AT_FDCWD (-100).</param>
/// <param name="Path">Address of the NUL-terminated path, valid until the completion.</param>
/// <param name="Flags">The kernel's <c>O_*</c> bits.</param>
/// <param name="Mode">The permission bits of a created file (ignored without <c>O_CREAT</c>).</param>
public readonly record struct OpenAtOperation(int DirectoryFd, ulong Path, uint Flags, uint Mode) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.OpenAt;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = DirectoryFd;
        entry.Address = Path;
        entry.Length = Mode;
        entry.OpFlags = Flags;
    }
}
