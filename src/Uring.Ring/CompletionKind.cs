namespace Uring;

/// <summary>Which operation a <see cref="Completion"/> belongs to; decides what <see cref="Completion.Result"/> holds.</summary>
public enum CompletionKind
{
    /// <summary>A no-op (<see cref="Ring.SubmitNop"/>). Result: none.</summary>
    Nop = 0,
    /// <summary>A receive into a caller buffer. Result: the byte count (0 at end of stream).</summary>
    Recv,
    /// <summary>A send. Result: the byte count sent.</summary>
    Send,
    /// <summary>A receive of one message with its source address.</summary>
    RecvMsg,
    /// <summary>A send to an address.</summary>
    SendTo,
    /// <summary>A message send.</summary>
    SendMsg,
    /// <summary>A zero-copy send.</summary>
    SendZc,
    /// <summary>A zero-copy message send.</summary>
    SendMsgZc,
    /// <summary>A one-shot accept.</summary>
    Accept,
    /// <summary>One connection of a multishot accept.</summary>
    AcceptMultishot,
    /// <summary>One leg of a multishot receive.</summary>
    RecvMultishot,
    /// <summary>A connect.</summary>
    Connect,
    /// <summary>A shutdown.</summary>
    Shutdown,
    /// <summary>A close of a raw fd.</summary>
    Close,
    /// <summary>A socket creation.</summary>
    Socket,
    /// <summary>A cancellation request.</summary>
    Cancel,
    /// <summary>A one-shot poll.</summary>
    Poll,
    /// <summary>A leg of a multishot poll.</summary>
    PollMultishot,
    /// <summary>A poll removal request.</summary>
    PollRemove,
    /// <summary>A timer (its normal end is ETIME).</summary>
    Timeout,
    /// <summary>One leg of a leased (zero-copy) multishot receive. Result: a <see cref="ReceivedLease"/> the receiver must dispose.</summary>
    RecvMultishotLeased,
    /// <summary>A read from a file at an offset. Result: the byte count (0 at end of file).</summary>
    Read,
    /// <summary>A write to a file at an offset. Result: the byte count written.</summary>
    Write,
    /// <summary>A vectored read from a file. Result: the total byte count (0 at end of file).</summary>
    ReadV,
    /// <summary>A vectored write to a file. Result: the total byte count written.</summary>
    WriteV,
    /// <summary>A file open. Result: the owning <see cref="Microsoft.Win32.SafeHandles.SafeFileHandle"/>.</summary>
    OpenAt,
    /// <summary>A statx. Result: the <see cref="FileStatus"/>.</summary>
    Statx,
    /// <summary>An fsync or fdatasync. Result: none.</summary>
    Fsync,
    /// <summary>An fallocate (allocation or hole punch). Result: none.</summary>
    Fallocate,
    /// <summary>A one-shot accept into the registered-file table. Result: <see cref="AcceptedRegisteredFile"/>.</summary>
    AcceptDirect,
    /// <summary>One connection of a multishot accept into the registered-file table. Result: <see cref="AcceptedRegisteredFile"/> (no peer address).</summary>
    AcceptDirectMultishot,
    /// <summary>A send-all: a whole buffer through as many sends as it took. Result: <see cref="int"/>, the bytes sent (the whole buffer); on an error <see cref="Completion.BytesSent"/> says how many went before it.</summary>
    SendAll,
}
