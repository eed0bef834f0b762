namespace Uring.Native;

/// <summary>Turns a refused io_uring_setup into the exception and advice a user can act on.</summary>
internal static class SetupFailure
{
    internal const string Call = "io_uring_setup";

    internal static Exception For(Errno errno, uint entries, RingSetupFlags flags) => errno switch
    {
        Errno.EPERM or Errno.EACCES => new UringUnavailableException(
            UringException.Describe(Call, errno, "io_uring is blocked by policy: a seccomp profile (Docker's default profile refuses io_uring; run with one that allows io_uring_setup, io_uring_enter and io_uring_register) or the sysctl kernel.io_uring_disabled (2 disables io_uring; 1 allows it only for members of kernel.io_uring_group). Set kernel.io_uring_disabled=0 or run where io_uring is allowed."),
            errno),
        Errno.ENOSYS => new UringUnavailableException(
            UringException.Describe(Call, errno, "This kernel has no io_uring (built without CONFIG_IO_URING, or older than 5.1); Uring needs Linux 5.19 or newer."),
            errno),
        Errno.ENOMEM => new UringException(Call, errno,
            $"The kernel could not allocate or pin memory for a ring of {entries} entries. On kernels up to 5.11 ring memory counts against RLIMIT_MEMLOCK: raise it (ulimit -l, or LimitMEMLOCK= in a systemd unit) or ask for fewer entries."),
        Errno.EINVAL => new UringException(Call, errno,
            $"The kernel rejected {entries} entries with setup flags {flags}: a flag is unknown to this kernel, a combination is invalid (for example DeferTaskrun without SingleIssuer), or the completion queue is smaller than the submission queue. Check the flags with UringProbe.Probe(flags: ...)."),
        Errno.EMFILE or Errno.ENFILE => new UringException(Call, errno,
            "The process or the system is out of file descriptors; close some or raise RLIMIT_NOFILE (ulimit -n)."),
        _ => new UringException(Call, errno),
    };
}
