namespace Uring.Native;

/// <summary><c>IORING_ENTER_*</c>: flags of io_uring_enter.</summary>
[Flags]
internal enum EnterFlags : uint
{
    None = 0,
    GetEvents = 1u << 0,
    SqWakeup = 1u << 1,
    SqWait = 1u << 2,
    ExtArg = 1u << 3,
}

/// <summary><c>IORING_SQ_*</c>: flags the kernel sets in the SQ ring's flags word.</summary>
[Flags]
internal enum SqRingFlags : uint
{
    None = 0,
    NeedWakeup = 1u << 0,
    CqOverflow = 1u << 1,
    TaskRun = 1u << 2,
}

/// <summary><c>IORING_REGISTER_*</c>: opcodes of io_uring_register.</summary>
internal enum RegisterOpcode : uint
{
    RegisterFilesUpdate = 6,
    RegisterProbe = 8,
    EnableRings = 12,
    RegisterFiles2 = 13,
    RegisterPbufRing = 22,
    UnregisterPbufRing = 23,
    ResizeRings = 33,
}

/// <summary>Fixed numbers of the io_uring ABI that are not flags.</summary>
internal static class KernelConstants
{
    /// <summary>IORING_OFF_SQ_RING: mmap offset of the SQ ring (and of both rings with SINGLE_MMAP).</summary>
    internal const long OffSqRing = 0;

    /// <summary>IORING_OFF_CQ_RING: mmap offset of the CQ ring.</summary>
    internal const long OffCqRing = 0x8000000;

    /// <summary>IORING_OFF_SQES: mmap offset of the SQE array.</summary>
    internal const long OffSqes = 0x10000000;

    /// <summary>IORING_MAX_ENTRIES: the largest SQ size io_uring_setup accepts without CLAMP.</summary>
    internal const int MaxEntries = 32768;

    /// <summary>IORING_MAX_CQ_ENTRIES.</summary>
    internal const int MaxCqEntries = 2 * MaxEntries;

    /// <summary>IORING_POLL_ADD_MULTI: multishot poll (5.13).</summary>
    internal const uint PollAddMulti = 1u << 0;

    /// <summary>IORING_ASYNC_CANCEL_ALL: cancel every match, not just the first (5.19).</summary>
    internal const uint AsyncCancelAll = 1u << 0;

    /// <summary>IORING_ASYNC_CANCEL_ANY: match any request (5.19).</summary>
    internal const uint AsyncCancelAny = 1u << 2;

    /// <summary>IORING_ACCEPT_MULTISHOT, in <c>ioprio</c> (5.19).</summary>
    internal const ushort AcceptMultishot = 1 << 0;

    /// <summary>IORING_RECVSEND_POLL_FIRST, in <c>ioprio</c>.</summary>
    internal const ushort RecvSendPollFirst = 1 << 0;

    /// <summary>IORING_RECV_MULTISHOT, in <c>ioprio</c> (6.0).</summary>
    internal const ushort RecvMultishot = 1 << 1;

    /// <summary>IORING_MSG_DATA: the MSG_RING command that posts a CQE into the target ring.</summary>
    internal const ulong MsgRingData = 0;

    /// <summary>IORING_FSYNC_DATASYNC, in <c>fsync_flags</c>: fdatasync instead of fsync.</summary>
    internal const uint FsyncDataSync = 1u << 0;

    /// <summary>AT_FDCWD: a path relative to the current directory.</summary>
    internal const int AtFdCwd = -100;

    /// <summary>AT_SYMLINK_NOFOLLOW: statx the link itself, not its target.</summary>
    internal const uint AtSymlinkNoFollow = 0x100;

    /// <summary>AT_EMPTY_PATH: with an empty path, statx the descriptor itself.</summary>
    internal const uint AtEmptyPath = 0x1000;
    /// <summary>IORING_FILE_INDEX_ALLOC, in <c>file_index</c>: let the kernel pick a free slot of the registered-file table (5.19).</summary>
    internal const uint FileIndexAlloc = ~0u;

    /// <summary>IORING_MAX_FIXED_FILES: the largest registered-file table.</summary>
    internal const int MaxFixedFiles = 1 << 20;

    /// <summary>IORING_RSRC_REGISTER_SPARSE: register a table of empty slots.</summary>
    internal const uint RsrcRegisterSparse = 1u << 0;
}
