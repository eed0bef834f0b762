namespace Uring;

/// <summary>
/// The <see cref="Completion.Result"/> of a statx (<see cref="Ring.SubmitStatx(string, FileDescriptor?, bool, object?)"/>):
/// what the kernel reported about a file, decoded from its <c>struct statx</c>.
/// </summary>
/// <param name="Type">The kind of file.</param>
/// <param name="Mode">The permission bits, with set-user-ID, set-group-ID and sticky.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Inode">The inode number.</param>
/// <param name="LinkCount">The number of hard links.</param>
/// <param name="UserId">The owner's user ID.</param>
/// <param name="GroupId">The owner's group ID.</param>
/// <param name="BlockSize">The filesystem's preferred I/O block size in bytes.</param>
/// <param name="Blocks">The 512-byte blocks allocated to the file (fewer than the size suggests for a sparse file).</param>
/// <param name="AccessTime">The last access.</param>
/// <param name="ModifyTime">The last change of the contents.</param>
/// <param name="ChangeTime">The last change of the inode (contents, mode, owner, links).</param>
/// <param name="BirthTime">The creation time, or null when the filesystem does not record it.</param>
/// <param name="DeviceMajor">The major number of the device holding the file.</param>
/// <param name="DeviceMinor">The minor number of the device holding the file.</param>
public readonly record struct FileStatus(
    FileType Type,
    UnixFileMode Mode,
    long Size,
    ulong Inode,
    uint LinkCount,
    uint UserId,
    uint GroupId,
    int BlockSize,
    long Blocks,
    DateTimeOffset AccessTime,
    DateTimeOffset ModifyTime,
    DateTimeOffset ChangeTime,
    DateTimeOffset? BirthTime,
    uint DeviceMajor,
    uint DeviceMinor)
{
    /// <summary>True for a regular file.</summary>
    public bool IsRegularFile => Type == FileType.RegularFile;

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => Type == FileType.Directory;
}
