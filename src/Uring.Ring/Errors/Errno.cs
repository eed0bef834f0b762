namespace Uring;

/// <summary>
/// Linux <c>errno</c> values (x86-64 and arm64 share them) that io_uring and the socket calls report.
/// A failed completion carries the negated value in <see cref="Completion.Res"/>; <see cref="Completion.Error"/>
/// gives it back as this type.
/// </summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>EPERM: operation not permitted (for io_uring_setup: blocked by seccomp or <c>kernel.io_uring_disabled</c>).</summary>
    EPERM = 1,
    /// <summary>ENOENT: no such file or directory.</summary>
    ENOENT = 2,
    /// <summary>ESRCH: no such process.</summary>
    ESRCH = 3,
    /// <summary>EINTR: interrupted by a signal; io_uring waits are retried.</summary>
    EINTR = 4,
    /// <summary>EIO: input/output error.</summary>
    EIO = 5,
    /// <summary>ENXIO: no such device or address.</summary>
    ENXIO = 6,
    /// <summary>E2BIG: argument list too long.</summary>
    E2BIG = 7,
    /// <summary>EBADF: bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>EAGAIN: resource temporarily unavailable.</summary>
    EAGAIN = 11,
    /// <summary>ENOMEM: out of memory (for io_uring_setup on kernels ≤ 5.11: RLIMIT_MEMLOCK too low).</summary>
    ENOMEM = 12,
    /// <summary>EACCES: permission denied.</summary>
    EACCES = 13,
    /// <summary>EFAULT: bad address.</summary>
    EFAULT = 14,
    /// <summary>EBUSY: device or resource busy (io_uring: the CQ is overflowing and cannot be flushed).</summary>
    EBUSY = 16,
    /// <summary>EEXIST: exists (io_uring: submission from a thread other than a SINGLE_ISSUER ring's submitter).</summary>
    EEXIST = 17,
    /// <summary>EXDEV: invalid cross-device link.</summary>
    EXDEV = 18,
    /// <summary>ENODEV: no such device.</summary>
    ENODEV = 19,
    /// <summary>ENOTDIR: not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>EISDIR: is a directory.</summary>
    EISDIR = 21,
    /// <summary>EINVAL: invalid argument.</summary>
    EINVAL = 22,
    /// <summary>ENFILE: too many open files in system.</summary>
    ENFILE = 23,
    /// <summary>EMFILE: too many open files (RLIMIT_NOFILE).</summary>
    EMFILE = 24,
    /// <summary>EFBIG: file too large.</summary>
    EFBIG = 27,
    /// <summary>ENOSPC: no space left on device.</summary>
    ENOSPC = 28,
    /// <summary>ESPIPE: illegal seek.</summary>
    ESPIPE = 29,
    /// <summary>EROFS: read-only file system.</summary>
    EROFS = 30,
    /// <summary>EPIPE: broken pipe.</summary>
    EPIPE = 32,
    /// <summary>ERANGE: result out of range.</summary>
    ERANGE = 34,
    /// <summary>ENAMETOOLONG: file name too long.</summary>
    ENAMETOOLONG = 36,
    /// <summary>ENOSYS: function not implemented (io_uring not built into this kernel).</summary>
    ENOSYS = 38,
    /// <summary>ENOTEMPTY: directory not empty.</summary>
    ENOTEMPTY = 39,
    /// <summary>ELOOP: too many levels of symbolic links.</summary>
    ELOOP = 40,
    /// <summary>EBADR: invalid request descriptor (io_uring: completions were dropped).</summary>
    EBADR = 53,
    /// <summary>ETIME: timer expired (io_uring: a timed wait or a timeout operation elapsed).</summary>
    ETIME = 62,
    /// <summary>EPROTO: protocol error.</summary>
    EPROTO = 71,
    /// <summary>EOVERFLOW: value too large for defined data type.</summary>
    EOVERFLOW = 75,
    /// <summary>EBADFD: file descriptor in bad state (io_uring: the ring is already enabled).</summary>
    EBADFD = 77,
    /// <summary>ENOTSOCK: socket operation on non-socket.</summary>
    ENOTSOCK = 88,
    /// <summary>EDESTADDRREQ: destination address required.</summary>
    EDESTADDRREQ = 89,
    /// <summary>EMSGSIZE: message too long.</summary>
    EMSGSIZE = 90,
    /// <summary>EPROTOTYPE: protocol wrong type for socket.</summary>
    EPROTOTYPE = 91,
    /// <summary>EPROTONOSUPPORT: protocol not supported.</summary>
    EPROTONOSUPPORT = 93,
    /// <summary>EOPNOTSUPP (ENOTSUP): operation not supported.</summary>
    EOPNOTSUPP = 95,
    /// <summary>EAFNOSUPPORT: address family not supported by protocol.</summary>
    EAFNOSUPPORT = 97,
    /// <summary>EADDRINUSE: address already in use.</summary>
    EADDRINUSE = 98,
    /// <summary>EADDRNOTAVAIL: cannot assign requested address.</summary>
    EADDRNOTAVAIL = 99,
    /// <summary>ENETDOWN: network is down.</summary>
    ENETDOWN = 100,
    /// <summary>ENETUNREACH: network is unreachable.</summary>
    ENETUNREACH = 101,
    /// <summary>ECONNABORTED: software caused connection abort.</summary>
    ECONNABORTED = 103,
    /// <summary>ECONNRESET: connection reset by peer.</summary>
    ECONNRESET = 104,
    /// <summary>ENOBUFS: no buffer space available (io_uring: a provided-buffer ring ran empty).</summary>
    ENOBUFS = 105,
    /// <summary>EISCONN: transport endpoint is already connected.</summary>
    EISCONN = 106,
    /// <summary>ENOTCONN: transport endpoint is not connected.</summary>
    ENOTCONN = 107,
    /// <summary>ESHUTDOWN: cannot send after transport endpoint shutdown.</summary>
    ESHUTDOWN = 108,
    /// <summary>ETIMEDOUT: connection timed out.</summary>
    ETIMEDOUT = 110,
    /// <summary>ECONNREFUSED: connection refused.</summary>
    ECONNREFUSED = 111,
    /// <summary>EHOSTUNREACH: no route to host.</summary>
    EHOSTUNREACH = 113,
    /// <summary>EALREADY: operation already in progress (io_uring cancel: the target is already running).</summary>
    EALREADY = 114,
    /// <summary>EINPROGRESS: operation now in progress.</summary>
    EINPROGRESS = 115,
    /// <summary>ECANCELED: operation canceled.</summary>
    ECANCELED = 125,
}
