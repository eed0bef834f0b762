namespace Uring;

/// <summary>
/// <c>MSG_*</c> flags of send/recv family calls, with Linux's values (which differ from
/// <see cref="System.Net.Sockets.SocketFlags"/>).
/// </summary>
[Flags]
public enum MessageFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>MSG_OOB: out-of-band data.</summary>
    OutOfBand = 0x1,
    /// <summary>MSG_PEEK: receive without removing the data from the queue.</summary>
    Peek = 0x2,
    /// <summary>MSG_DONTROUTE: send only to directly connected hosts.</summary>
    DontRoute = 0x4,
    /// <summary>MSG_TRUNC: report the real length of a truncated datagram.</summary>
    Truncate = 0x20,
    /// <summary>MSG_DONTWAIT: fail with EAGAIN instead of waiting (io_uring then completes with EAGAIN rather than arming a poll).</summary>
    DontWait = 0x40,
    /// <summary>MSG_WAITALL: receive until the buffer is full (stream sockets).</summary>
    WaitAll = 0x100,
    /// <summary>MSG_NOSIGNAL: no SIGPIPE on a broken connection. Uring adds it to every send.</summary>
    NoSignal = 0x4000,
    /// <summary>MSG_MORE: more data follows; the kernel may coalesce.</summary>
    More = 0x8000,
}
