namespace Uring;

/// <summary><c>IORING_FEAT_*</c>: what the running kernel's io_uring offers, as reported by <c>io_uring_setup</c>.</summary>
[Flags]
public enum RingFeatures : uint
{
    /// <summary>No features reported.</summary>
    None = 0,
    /// <summary>IORING_FEAT_SINGLE_MMAP: SQ and CQ rings share one mapping (5.4).</summary>
    SingleMmap = 1u << 0,
    /// <summary>IORING_FEAT_NODROP: overflowing completions are kept in the kernel rather than dropped (5.5).</summary>
    NoDrop = 1u << 1,
    /// <summary>IORING_FEAT_SUBMIT_STABLE: SQE-side data may be released once submitted (5.5).</summary>
    SubmitStable = 1u << 2,
    /// <summary>IORING_FEAT_RW_CUR_POS: offset -1 means the file's current position (5.6).</summary>
    RwCurrentPosition = 1u << 3,
    /// <summary>IORING_FEAT_CUR_PERSONALITY (5.6).</summary>
    CurrentPersonality = 1u << 4,
    /// <summary>IORING_FEAT_FAST_POLL: internal poll instead of async workers for sockets (5.7).</summary>
    FastPoll = 1u << 5,
    /// <summary>IORING_FEAT_POLL_32BITS (5.9).</summary>
    Poll32Bits = 1u << 6,
    /// <summary>IORING_FEAT_SQPOLL_NONFIXED (5.11).</summary>
    SqPollNonFixed = 1u << 7,
    /// <summary>IORING_FEAT_EXT_ARG: timed waits through <c>io_uring_getevents_arg</c> (5.11).</summary>
    ExtArg = 1u << 8,
    /// <summary>IORING_FEAT_NATIVE_WORKERS (5.12).</summary>
    NativeWorkers = 1u << 9,
    /// <summary>IORING_FEAT_RSRC_TAGS (5.13).</summary>
    ResourceTags = 1u << 10,
    /// <summary>IORING_FEAT_CQE_SKIP (5.17).</summary>
    CqeSkip = 1u << 11,
    /// <summary>IORING_FEAT_LINKED_FILE (5.17).</summary>
    LinkedFile = 1u << 12,
    /// <summary>IORING_FEAT_REG_REG_RING (6.3).</summary>
    RegisteredRegisteredRing = 1u << 13,
    /// <summary>IORING_FEAT_RECVSEND_BUNDLE (6.10).</summary>
    RecvSendBundle = 1u << 14,
    /// <summary>IORING_FEAT_MIN_TIMEOUT (6.12).</summary>
    MinTimeout = 1u << 15,
    /// <summary>IORING_FEAT_RW_ATTR (6.13).</summary>
    RwAttributes = 1u << 16,
    /// <summary>IORING_FEAT_NO_IOWAIT (6.15).</summary>
    NoIoWait = 1u << 17,
}
