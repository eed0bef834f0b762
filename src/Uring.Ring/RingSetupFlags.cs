namespace Uring;

/// <summary><c>IORING_SETUP_*</c>: flags for <c>io_uring_setup</c>, with the kernel's values.</summary>
/// <remarks>
/// Check a combination with <see cref="UringProbe.Probe(int, RingSetupFlags)"/> before using it.
/// Some flags impose a contract on the application: <see cref="SingleIssuer"/> means only the
/// creating (or enabling) thread may submit.
/// <para>An event loop whose one thread both submits and waits (the usual server) should set
/// <c>SingleIssuer | CoopTaskrun</c>, or <c>SingleIssuer | DeferTaskrun | TaskrunFlag</c>. Without
/// them the kernel interrupts that thread (a reschedule IPI) to finish each completion. With them it
/// finishes completions when the thread enters the kernel anyway. An HTTP responder on
/// <see cref="Ring"/> used 12.0–14.3 µs of CPU per request without them and 9.4–12.5 µs with either
/// set (docs/performance-log.md, item 13). Leave them off when another thread waits for completions.</para>
/// </remarks>
[Flags]
public enum RingSetupFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IORING_SETUP_IOPOLL: busy-poll for I/O completion (O_DIRECT block devices only; not supported by <see cref="Ring"/>).</summary>
    IoPoll = 1u << 0,
    /// <summary>IORING_SETUP_SQPOLL: a kernel thread polls the SQ, so submissions need no syscall while it is awake.</summary>
    SqPoll = 1u << 1,
    /// <summary>IORING_SETUP_SQ_AFF: pin the SQPOLL thread to a CPU.</summary>
    SqAffinity = 1u << 2,
    /// <summary>IORING_SETUP_CQSIZE: the CQ size is given explicitly (see <see cref="RingOptions.CompletionQueueEntries"/>).</summary>
    CqSize = 1u << 3,
    /// <summary>IORING_SETUP_CLAMP: clamp oversized entry counts instead of failing with EINVAL.</summary>
    Clamp = 1u << 4,
    /// <summary>IORING_SETUP_ATTACH_WQ: share another ring's async worker pool (not supported by <see cref="Ring"/>).</summary>
    AttachWq = 1u << 5,
    /// <summary>IORING_SETUP_R_DISABLED: start disabled; <see cref="Ring.Enable"/> enables it (and, with <see cref="SingleIssuer"/>, makes the enabling thread the submitter).</summary>
    RDisabled = 1u << 6,
    /// <summary>IORING_SETUP_SUBMIT_ALL: keep submitting a batch after one SQE fails at preparation. <see cref="Ring"/> always sets it.</summary>
    SubmitAll = 1u << 7,
    /// <summary>IORING_SETUP_COOP_TASKRUN: run completion task work only at kernel transitions (unsuited to a reaper that is not the submitter).</summary>
    CoopTaskrun = 1u << 8,
    /// <summary>IORING_SETUP_TASKRUN_FLAG: with <see cref="CoopTaskrun"/> or <see cref="DeferTaskrun"/>, the kernel flags pending task work in the SQ ring (<see cref="RawRing.TaskWorkPending"/>).</summary>
    TaskrunFlag = 1u << 9,
    /// <summary>IORING_SETUP_SQE128: 128-byte SQEs (not supported by <see cref="Ring"/>).</summary>
    Sqe128 = 1u << 10,
    /// <summary>IORING_SETUP_CQE32: 32-byte CQEs (not supported by <see cref="Ring"/>).</summary>
    Cqe32 = 1u << 11,
    /// <summary>IORING_SETUP_SINGLE_ISSUER: only one task submits (6.0+); others get EEXIST.</summary>
    SingleIssuer = 1u << 12,
    /// <summary>IORING_SETUP_DEFER_TASKRUN: run completion work only when the submitter waits (6.1+); a reaper on another thread then fails with EEXIST.</summary>
    DeferTaskrun = 1u << 13,
    /// <summary>IORING_SETUP_NO_MMAP: the application provides the ring memory (not supported by <see cref="Ring"/>).</summary>
    NoMmap = 1u << 14,
    /// <summary>IORING_SETUP_REGISTERED_FD_ONLY: the ring has only a registered fd (not supported by <see cref="Ring"/>).</summary>
    RegisteredFdOnly = 1u << 15,
    /// <summary>IORING_SETUP_NO_SQARRAY: no SQ index array; SQEs are consumed in order (6.6+).</summary>
    NoSqArray = 1u << 16,
    /// <summary>IORING_SETUP_HYBRID_IOPOLL: hybrid polling (not supported by <see cref="Ring"/>).</summary>
    HybridIoPoll = 1u << 17,
}
