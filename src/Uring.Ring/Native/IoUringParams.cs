using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary><c>struct io_sqring_offsets</c> (40 bytes): where the SQ ring's fields sit inside its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqRingOffsets
{
    internal uint Head;
    internal uint Tail;
    internal uint RingMask;
    internal uint RingEntries;
    internal uint Flags;
    internal uint Dropped;
    internal uint Array;
    internal uint Reserved1;
    internal ulong UserAddress;
}

/// <summary><c>struct io_cqring_offsets</c> (40 bytes): where the CQ ring's fields sit inside its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CqRingOffsets
{
    internal uint Head;
    internal uint Tail;
    internal uint RingMask;
    internal uint RingEntries;
    internal uint Overflow;
    internal uint Cqes;
    internal uint Flags;
    internal uint Reserved1;
    internal ulong UserAddress;
}

/// <summary><c>struct io_uring_params</c> (120 bytes): in and out argument of io_uring_setup.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringParams
{
    internal uint SqEntries;
    internal uint CqEntries;
    internal uint Flags;
    internal uint SqThreadCpu;
    internal uint SqThreadIdle;
    internal uint Features;
    internal uint WqFd;
    internal uint Reserved0;
    internal uint Reserved1;
    internal uint Reserved2;
    internal SqRingOffsets SqOffsets;
    internal CqRingOffsets CqOffsets;
}

/// <summary><c>struct __kernel_timespec</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelTimespec
{
    internal long Seconds;
    internal long Nanoseconds;

    internal static KernelTimespec From(TimeSpan span)
    {
        var ticks = Math.Max(0, span.Ticks);
        return new KernelTimespec
        {
            Seconds = ticks / TimeSpan.TicksPerSecond,
            Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100,
        };
    }
}

/// <summary><c>struct io_uring_getevents_arg</c> (24 bytes): the <c>IORING_ENTER_EXT_ARG</c> argument (5.11+).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GetEventsArg
{
    internal ulong SigMask;
    internal uint SigMaskSize;
    internal uint MinWaitMicroseconds;
    internal ulong Timespec;
}

/// <summary><c>struct io_uring_probe</c> header (16 bytes), followed in memory by <see cref="ProbeOp"/> entries.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProbeHeader
{
    internal byte LastOp;
    internal byte OpsLength;
    internal ushort Reserved;
    internal uint Reserved2a;
    internal uint Reserved2b;
    internal uint Reserved2c;
}

/// <summary><c>struct io_uring_probe_op</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProbeOp
{
    /// <summary><c>IO_URING_OP_SUPPORTED</c>.</summary>
    internal const ushort Supported = 1;

    internal byte Op;
    internal byte Reserved;
    internal ushort Flags;
    internal uint Reserved2;
}
