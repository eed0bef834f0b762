using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Uring.Native;

namespace Uring.Tests;

/// <summary>The C structs as the kernel lays them out (include/uapi/linux/io_uring.h).</summary>
public class AbiLayoutTests
{
    [Theory]
    [InlineData(typeof(IoUringParams), 120)]
    [InlineData(typeof(SqRingOffsets), 40)]
    [InlineData(typeof(CqRingOffsets), 40)]
    [InlineData(typeof(SubmissionQueueEntry), 64)]
    [InlineData(typeof(CompletionQueueEntry), 16)]
    [InlineData(typeof(GetEventsArg), 24)]
    [InlineData(typeof(KernelTimespec), 16)]
    [InlineData(typeof(ProbeHeader), 16)]
    [InlineData(typeof(ProbeOp), 8)]
    [InlineData(typeof(SlotScratch.MessageHeader), 56)]
    [InlineData(typeof(SlotScratch.Iovec), 16)]
    [InlineData(typeof(ProvidedBufferRing.BufferRegistration), 40)]
    [InlineData(typeof(StatxBuffer), 256)]
    [InlineData(typeof(StatxTimestamp), 16)]
    public void Struct_has_the_kernels_size(Type type, int size)
    {
        Assert.Equal(size, Marshal.SizeOf(type));
    }

    [Theory]
    [InlineData(nameof(SubmissionQueueEntry.Opcode), 0)]
    [InlineData(nameof(SubmissionQueueEntry.Flags), 1)]
    [InlineData(nameof(SubmissionQueueEntry.IoPriority), 2)]
    [InlineData(nameof(SubmissionQueueEntry.Fd), 4)]
    [InlineData(nameof(SubmissionQueueEntry.Offset), 8)]
    [InlineData(nameof(SubmissionQueueEntry.Address), 16)]
    [InlineData(nameof(SubmissionQueueEntry.Length), 24)]
    [InlineData(nameof(SubmissionQueueEntry.OpFlags), 28)]
    [InlineData(nameof(SubmissionQueueEntry.UserData), 32)]
    [InlineData(nameof(SubmissionQueueEntry.BufferIndex), 40)]
    [InlineData(nameof(SubmissionQueueEntry.Personality), 42)]
    [InlineData(nameof(SubmissionQueueEntry.SpliceFdIn), 44)]
    [InlineData(nameof(SubmissionQueueEntry.Address3), 48)]
    [InlineData(nameof(SubmissionQueueEntry.Reserved), 56)]
    public void Sqe_field_sits_at_the_kernels_offset(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<SubmissionQueueEntry>(field));
    }

    [Theory]
    [InlineData(nameof(IoUringParams.SqEntries), 0)]
    [InlineData(nameof(IoUringParams.CqEntries), 4)]
    [InlineData(nameof(IoUringParams.Flags), 8)]
    [InlineData(nameof(IoUringParams.Features), 20)]
    [InlineData(nameof(IoUringParams.WqFd), 24)]
    [InlineData(nameof(IoUringParams.SqOffsets), 40)]
    [InlineData(nameof(IoUringParams.CqOffsets), 80)]
    public void Params_field_sits_at_the_kernels_offset(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<IoUringParams>(field));
    }

    [Theory]
    [InlineData(nameof(SqRingOffsets.Array), 24)]
    [InlineData(nameof(SqRingOffsets.UserAddress), 32)]
    public void Sq_offsets_field_sits_at_the_kernels_offset(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<SqRingOffsets>(field));
    }

    [Theory]
    [InlineData(nameof(CqRingOffsets.Cqes), 20)]
    [InlineData(nameof(CqRingOffsets.Flags), 24)]
    [InlineData(nameof(CqRingOffsets.UserAddress), 32)]
    public void Cq_offsets_field_sits_at_the_kernels_offset(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<CqRingOffsets>(field));
    }

    [Theory]
    [InlineData(nameof(StatxBuffer.Mask), 0)]
    [InlineData(nameof(StatxBuffer.BlockSize), 4)]
    [InlineData(nameof(StatxBuffer.LinkCount), 16)]
    [InlineData(nameof(StatxBuffer.UserId), 20)]
    [InlineData(nameof(StatxBuffer.GroupId), 24)]
    [InlineData(nameof(StatxBuffer.Mode), 28)]
    [InlineData(nameof(StatxBuffer.Inode), 32)]
    [InlineData(nameof(StatxBuffer.Size), 40)]
    [InlineData(nameof(StatxBuffer.Blocks), 48)]
    [InlineData(nameof(StatxBuffer.AccessTime), 64)]
    [InlineData(nameof(StatxBuffer.BirthTime), 80)]
    [InlineData(nameof(StatxBuffer.ChangeTime), 96)]
    [InlineData(nameof(StatxBuffer.ModifyTime), 112)]
    [InlineData(nameof(StatxBuffer.DeviceMajor), 136)]
    [InlineData(nameof(StatxBuffer.DeviceMinor), 140)]
    public void Statx_field_sits_at_the_kernels_offset(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<StatxBuffer>(field));
    }

    [Fact]
    public void A_slots_native_block_holds_a_whole_struct_statx()
    {
        Assert.True(SlotScratch.Size >= Marshal.SizeOf<StatxBuffer>(), $"{SlotScratch.Size} bytes cannot hold a 256-byte struct statx");
    }

    [Fact]
    public void A_struct_statx_decodes_into_the_file_status_it_describes()
    {
        var raw = new StatxBuffer
        {
            Mask = 0xfff,
            BlockSize = 4096,
            LinkCount = 2,
            UserId = 1000,
            GroupId = 100,
            Mode = 0x41ed, // S_IFDIR | 0755
            Inode = 42,
            Size = 4096,
            Blocks = 8,
            ModifyTime = new StatxTimestamp { Seconds = 1_700_000_000, Nanoseconds = 123_456_700 },
            BirthTime = new StatxTimestamp { Seconds = 0 },
            DeviceMajor = 8,
            DeviceMinor = 1,
        };

        var status = raw.ToFileStatus();

        Assert.Equal(FileType.Directory, status.Type);
        Assert.Equal((UnixFileMode)0x1ed, status.Mode);
        Assert.Equal((4096L, 42UL, 2u, 1000u, 100u, 4096, 8L, 8u, 1u), (status.Size, status.Inode, status.LinkCount, status.UserId, status.GroupId, status.BlockSize, status.Blocks, status.DeviceMajor, status.DeviceMinor));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567), status.ModifyTime);
        Assert.Equal(DateTimeOffset.UnixEpoch, status.BirthTime);
        Assert.Null((raw with { Mask = 0x7ff }).ToFileStatus().BirthTime);
        Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeSeconds(), (raw with { AccessTime = new StatxTimestamp { Seconds = long.MaxValue } }).ToFileStatus().AccessTime.ToUnixTimeSeconds());
    }

    [Fact]
    public void Cqe_reads_user_data_result_and_flags_from_the_kernels_offsets()
    {
        Span<byte> raw = stackalloc byte[16];
        BitConverter.TryWriteBytes(raw[0..8], 0x1122334455667788UL);
        BitConverter.TryWriteBytes(raw[8..12], -104);
        BitConverter.TryWriteBytes(raw[12..16], (3u << 16) | 3u);

        var entry = MemoryMarshal.Read<CompletionQueueEntry>(raw);

        Assert.Equal(0x1122334455667788UL, entry.UserData);
        Assert.Equal(-104, entry.Result);
        Assert.True(entry.HasMore);
        Assert.Equal(3, entry.BufferId);
        Assert.Equal(CompletionFlags.Buffer | CompletionFlags.More, entry.Flags & (CompletionFlags)0xffff);
        Assert.Equal(16, Unsafe.SizeOf<CompletionQueueEntry>());
    }
}
