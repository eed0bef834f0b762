namespace Uring;

/// <summary><c>IORING_CQE_F_*</c>: flags of a completion, with the kernel's values.</summary>
[Flags]
public enum CompletionFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IORING_CQE_F_BUFFER: a provided buffer was selected; its id is in the upper 16 bits.</summary>
    Buffer = 1u << 0,
    /// <summary>IORING_CQE_F_MORE: the request stays armed and will post more completions (multishot, zero-copy).</summary>
    More = 1u << 1,
    /// <summary>IORING_CQE_F_SOCK_NONEMPTY: more data was waiting in the socket after this receive.</summary>
    SocketNonEmpty = 1u << 2,
    /// <summary>IORING_CQE_F_NOTIF: a zero-copy notification (the buffer is free). <see cref="Ring"/> consumes these internally.</summary>
    Notification = 1u << 3,
    /// <summary>IORING_CQE_F_BUF_MORE: the provided buffer was only partly consumed (incremental buffer rings).</summary>
    BufferMore = 1u << 4,
}
