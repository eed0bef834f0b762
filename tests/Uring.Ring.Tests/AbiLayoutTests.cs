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
