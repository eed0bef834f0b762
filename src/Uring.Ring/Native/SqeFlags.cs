namespace Uring.Native;

/// <summary><c>IOSQE_*</c>: per-SQE flags, with the kernel's values.</summary>
[Flags]
public enum SqeFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IOSQE_FIXED_FILE: <c>fd</c> is an index into the registered-file table.</summary>
    FixedFile = 1 << 0,
    /// <summary>IOSQE_IO_DRAIN: start only after every earlier SQE completed.</summary>
    IoDrain = 1 << 1,
    /// <summary>IOSQE_IO_LINK: the next SQE starts only after this one succeeded.</summary>
    IoLink = 1 << 2,
    /// <summary>IOSQE_IO_HARDLINK: like <see cref="IoLink"/>, whatever this one's result.</summary>
    IoHardLink = 1 << 3,
    /// <summary>IOSQE_ASYNC: always go to an async worker.</summary>
    Async = 1 << 4,
    /// <summary>IOSQE_BUFFER_SELECT: take a buffer from the provided-buffer group in <c>buf_group</c>.</summary>
    BufferSelect = 1 << 5,
    /// <summary>IOSQE_CQE_SKIP_SUCCESS: post no CQE when the request succeeds.</summary>
    CqeSkipSuccess = 1 << 6,
}
