namespace Uring.Native;

/// <summary><c>enum io_uring_op</c>: operation codes, with the kernel's values.</summary>
public enum RingOpcode : byte
{
    /// <summary>IORING_OP_NOP.</summary>
    Nop = 0,
    /// <summary>IORING_OP_READV.</summary>
    ReadV = 1,
    /// <summary>IORING_OP_WRITEV.</summary>
    WriteV = 2,
    /// <summary>IORING_OP_FSYNC.</summary>
    Fsync = 3,
    /// <summary>IORING_OP_READ_FIXED.</summary>
    ReadFixed = 4,
    /// <summary>IORING_OP_WRITE_FIXED.</summary>
    WriteFixed = 5,
    /// <summary>IORING_OP_POLL_ADD.</summary>
    PollAdd = 6,
    /// <summary>IORING_OP_POLL_REMOVE.</summary>
    PollRemove = 7,
    /// <summary>IORING_OP_SYNC_FILE_RANGE.</summary>
    SyncFileRange = 8,
    /// <summary>IORING_OP_SENDMSG.</summary>
    SendMsg = 9,
    /// <summary>IORING_OP_RECVMSG.</summary>
    RecvMsg = 10,
    /// <summary>IORING_OP_TIMEOUT.</summary>
    Timeout = 11,
    /// <summary>IORING_OP_TIMEOUT_REMOVE.</summary>
    TimeoutRemove = 12,
    /// <summary>IORING_OP_ACCEPT.</summary>
    Accept = 13,
    /// <summary>IORING_OP_ASYNC_CANCEL.</summary>
    AsyncCancel = 14,
    /// <summary>IORING_OP_LINK_TIMEOUT.</summary>
    LinkTimeout = 15,
    /// <summary>IORING_OP_CONNECT.</summary>
    Connect = 16,
    /// <summary>IORING_OP_FALLOCATE.</summary>
    Fallocate = 17,
    /// <summary>IORING_OP_OPENAT.</summary>
    OpenAt = 18,
    /// <summary>IORING_OP_CLOSE.</summary>
    Close = 19,
    /// <summary>IORING_OP_FILES_UPDATE.</summary>
    FilesUpdate = 20,
    /// <summary>IORING_OP_STATX.</summary>
    Statx = 21,
    /// <summary>IORING_OP_READ.</summary>
    Read = 22,
    /// <summary>IORING_OP_WRITE.</summary>
    Write = 23,
    /// <summary>IORING_OP_FADVISE.</summary>
    Fadvise = 24,
    /// <summary>IORING_OP_MADVISE.</summary>
    Madvise = 25,
    /// <summary>IORING_OP_SEND.</summary>
    Send = 26,
    /// <summary>IORING_OP_RECV.</summary>
    Recv = 27,
    /// <summary>IORING_OP_OPENAT2.</summary>
    OpenAt2 = 28,
    /// <summary>IORING_OP_EPOLL_CTL.</summary>
    EpollCtl = 29,
    /// <summary>IORING_OP_SPLICE.</summary>
    Splice = 30,
    /// <summary>IORING_OP_PROVIDE_BUFFERS.</summary>
    ProvideBuffers = 31,
    /// <summary>IORING_OP_REMOVE_BUFFERS.</summary>
    RemoveBuffers = 32,
    /// <summary>IORING_OP_TEE.</summary>
    Tee = 33,
    /// <summary>IORING_OP_SHUTDOWN.</summary>
    Shutdown = 34,
    /// <summary>IORING_OP_RENAMEAT.</summary>
    RenameAt = 35,
    /// <summary>IORING_OP_UNLINKAT.</summary>
    UnlinkAt = 36,
    /// <summary>IORING_OP_MKDIRAT.</summary>
    MkdirAt = 37,
    /// <summary>IORING_OP_SYMLINKAT.</summary>
    SymlinkAt = 38,
    /// <summary>IORING_OP_LINKAT.</summary>
    LinkAt = 39,
    /// <summary>IORING_OP_MSG_RING.</summary>
    MsgRing = 40,
    /// <summary>IORING_OP_FSETXATTR.</summary>
    FSetXattr = 41,
    /// <summary>IORING_OP_SETXATTR.</summary>
    SetXattr = 42,
    /// <summary>IORING_OP_FGETXATTR.</summary>
    FGetXattr = 43,
    /// <summary>IORING_OP_GETXATTR.</summary>
    GetXattr = 44,
    /// <summary>IORING_OP_SOCKET.</summary>
    Socket = 45,
    /// <summary>IORING_OP_URING_CMD.</summary>
    UringCmd = 46,
    /// <summary>IORING_OP_SEND_ZC.</summary>
    SendZc = 47,
    /// <summary>IORING_OP_SENDMSG_ZC.</summary>
    SendMsgZc = 48,
    /// <summary>IORING_OP_READ_MULTISHOT.</summary>
    ReadMultishot = 49,
    /// <summary>IORING_OP_WAITID.</summary>
    WaitId = 50,
    /// <summary>IORING_OP_FUTEX_WAIT.</summary>
    FutexWait = 51,
    /// <summary>IORING_OP_FUTEX_WAKE.</summary>
    FutexWake = 52,
    /// <summary>IORING_OP_FUTEX_WAITV.</summary>
    FutexWaitV = 53,
    /// <summary>IORING_OP_FIXED_FD_INSTALL.</summary>
    FixedFdInstall = 54,
    /// <summary>IORING_OP_FTRUNCATE.</summary>
    Ftruncate = 55,
    /// <summary>IORING_OP_BIND.</summary>
    Bind = 56,
    /// <summary>IORING_OP_LISTEN.</summary>
    Listen = 57,
    /// <summary>IORING_OP_RECV_ZC.</summary>
    RecvZc = 58,
    /// <summary>IORING_OP_EPOLL_WAIT.</summary>
    EpollWait = 59,
    /// <summary>IORING_OP_READV_FIXED.</summary>
    ReadVFixed = 60,
    /// <summary>IORING_OP_WRITEV_FIXED.</summary>
    WriteVFixed = 61,
    /// <summary>IORING_OP_PIPE.</summary>
    Pipe = 62,
}
