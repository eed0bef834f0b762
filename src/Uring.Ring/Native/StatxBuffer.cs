using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// <c>struct statx</c> (<c>include/uapi/linux/stat.h</c>, 256 bytes): what IORING_OP_STATX writes.
/// Only the fields <see cref="FileStatus"/> reports are declared; the rest is spare or newer
/// (mount id, direct-I/O alignment, atomic-write limits) and stays unread.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary><c>STATX_BASIC_STATS | STATX_BTIME</c>: the fields asked for.</summary>
    internal const uint RequestMask = 0x7ffu | BirthTimeBit;

    /// <summary><c>STATX_BTIME</c>: set in <see cref="Mask"/> when the filesystem reported a birth time.</summary>
    private const uint BirthTimeBit = 0x800u;

    [FieldOffset(0)] internal uint Mask;
    [FieldOffset(4)] internal uint BlockSize;
    [FieldOffset(16)] internal uint LinkCount;
    [FieldOffset(20)] internal uint UserId;
    [FieldOffset(24)] internal uint GroupId;
    [FieldOffset(28)] internal ushort Mode;
    [FieldOffset(32)] internal ulong Inode;
    [FieldOffset(40)] internal ulong Size;
    [FieldOffset(48)] internal ulong Blocks;
    [FieldOffset(64)] internal StatxTimestamp AccessTime;
    [FieldOffset(80)] internal StatxTimestamp BirthTime;
    [FieldOffset(96)] internal StatxTimestamp ChangeTime;
    [FieldOffset(112)] internal StatxTimestamp ModifyTime;
    [FieldOffset(136)] internal uint DeviceMajor;
    [FieldOffset(140)] internal uint DeviceMinor;

    internal readonly FileStatus ToFileStatus() => new(
        TypeOf(Mode),
        (UnixFileMode)(Mode & 0xfff),
        (long)Size,
        Inode,
        LinkCount,
        UserId,
        GroupId,
        (int)BlockSize,
        (long)Blocks,
        AccessTime.ToDateTimeOffset(),
        ModifyTime.ToDateTimeOffset(),
        ChangeTime.ToDateTimeOffset(),
        (Mask & BirthTimeBit) != 0 ? BirthTime.ToDateTimeOffset() : null,
        DeviceMajor,
        DeviceMinor);

    /// <summary>The <c>S_IFMT</c> bits of <paramref name="mode"/> as a <see cref="FileType"/>.</summary>
    private static FileType TypeOf(ushort mode) => (mode & 0xf000) switch
    {
        0x8000 => FileType.RegularFile,
        0x4000 => FileType.Directory,
        0xa000 => FileType.SymbolicLink,
        0x2000 => FileType.CharacterDevice,
        0x6000 => FileType.BlockDevice,
        0x1000 => FileType.Fifo,
        0xc000 => FileType.Socket,
        _ => FileType.Unknown,
    };
}

/// <summary><c>struct statx_timestamp</c> (16 bytes): seconds since the epoch and nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxTimestamp
{
    internal long Seconds;
    internal uint Nanoseconds;
    internal int Reserved;

    /// <summary>The time in UTC, clamped to what <see cref="DateTimeOffset"/> can hold (a filesystem may store years past 9999).</summary>
    internal readonly DateTimeOffset ToDateTimeOffset()
    {
        var seconds = Math.Clamp(Seconds, DateTimeOffset.MinValue.ToUnixTimeSeconds(), DateTimeOffset.MaxValue.ToUnixTimeSeconds());
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var ticks = Nanoseconds / 100;
        return DateTimeOffset.MaxValue.Ticks - time.Ticks >= ticks ? time.AddTicks(ticks) : time;
    }
}
