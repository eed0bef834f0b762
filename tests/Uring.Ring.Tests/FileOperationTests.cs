using Microsoft.Win32.SafeHandles;
using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Reads, writes, fsync and fallocate on real files, on tmpfs and on the disk.</summary>
public class FileOperationTests
{
    [RingTheory(RequiresOpcode = RingOpcode.Write)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Bytes_written_at_offsets_read_back_at_the_same_offsets_with_zeros_in_the_gap(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();
        using var file = ring.Open(directory.File("data"));

        Assert.Equal(5, ring.Run(r => r.SubmitWrite(file, "hello"u8.ToArray(), 0)).Result);
        var written = ring.Run(r => r.SubmitWrite(file, "world"u8.ToArray(), 100, "write"));
        Assert.Equal(("write", CompletionKind.Write, 5), (written.UserData, written.Kind, written.Result));

        var buffer = new byte[5];
        var read = ring.Run(r => r.SubmitRead(file, buffer, 100, "read"));
        Assert.Equal(("read", CompletionKind.Read, 5), (read.UserData, read.Kind, read.Result));
        Assert.Equal("world"u8.ToArray(), buffer);
        Assert.Equal(5, ring.Run(r => r.SubmitRead(file, buffer, 0)).Res);
        Assert.Equal("hello"u8.ToArray(), buffer);
        Assert.Equal(5, ring.Run(r => r.SubmitRead(file, buffer, 50)).Res);
        Assert.Equal(new byte[5], buffer);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingTheory(RequiresOpcode = RingOpcode.Read)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void A_read_across_the_end_of_the_file_returns_the_remaining_bytes_and_then_zero(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        File.WriteAllBytes(directory.File("short"), "0123456789"u8.ToArray());
        using var ring = new Ring();
        using var file = ring.Open(directory.File("short"), OpenFlags.ReadOnly);
        var buffer = new byte[8];

        Assert.Equal(3, ring.Run(r => r.SubmitRead(file, buffer, 7)).Result);
        Assert.Equal("789"u8.ToArray(), buffer[..3]);
        Assert.Equal(0, ring.Run(r => r.SubmitRead(file, buffer, 10)).Result);
        Assert.Equal(0, ring.Run(r => r.SubmitRead(file, buffer, 1_000_000)).Result);
    }

    [RingTheory(RequiresOpcode = RingOpcode.WriteV)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Writev_gathers_buffers_in_order_and_readv_scatters_them_back(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();
        using var file = ring.Open(directory.File("vector"));
        ReadOnlyMemory<byte>[] pieces = ["ab"u8.ToArray(), ReadOnlyMemory<byte>.Empty, "cde"u8.ToArray(), "f"u8.ToArray()];

        var written = ring.Run(r => r.SubmitWriteV(file, pieces, 10, "writev"));
        Assert.Equal((CompletionKind.WriteV, 6), (written.Kind, written.Result));

        var first = new byte[4];
        var second = new byte[4];
        var read = ring.Run(r => r.SubmitReadV(file, [first, second], 10, "readv"));

        Assert.Equal((CompletionKind.ReadV, 6), (read.Kind, read.Result));
        Assert.Equal("abcd"u8.ToArray(), first);
        Assert.Equal("ef"u8.ToArray(), second[..2]);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.WriteV)]
    public void Sixteen_segments_are_the_most_a_vectored_write_takes_and_all_of_them_land()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using var file = ring.Open(directory.File("sixteen"));
        var pieces = Enumerable.Range(0, 16).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i }).ToArray();

        Assert.Equal(16, ring.Run(r => r.SubmitWriteV(file, pieces, 0)).Res);

        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), File.ReadAllBytes(directory.File("sixteen")));
    }

    [SkippableFact]
    public void Offset_minus_one_writes_and_reads_at_the_current_position_and_advances_it()
    {
        var reason = RingRequirements.SkipReason(RingOpcode.Write);
        Skip.If(reason is not null, reason);
        using var directory = new TempDirectory();
        using var ring = new Ring();
        Skip.IfNot(ring.Features.HasFlag(RingFeatures.RwCurrentPosition), "the kernel lacks IORING_FEAT_RW_CUR_POS");
        using var file = ring.Open(directory.File("cursor"));

        Assert.Equal(3, ring.Run(r => r.SubmitWrite(file, "abc"u8.ToArray(), -1)).Res);
        Assert.Equal(3, ring.Run(r => r.SubmitWrite(file, "def"u8.ToArray(), -1)).Res);
        Assert.Equal("abcdef", File.ReadAllText(directory.File("cursor")));

        using var reader = ring.Open(directory.File("cursor"), OpenFlags.ReadOnly);
        var buffer = new byte[4];
        Assert.Equal(4, ring.Run(r => r.SubmitRead(reader, buffer, -1)).Res);
        Assert.Equal(2, ring.Run(r => r.SubmitRead(reader, buffer, -1)).Res);
        Assert.Equal("ef"u8.ToArray(), buffer[..2]);
        Assert.Equal(0, ring.Run(r => r.SubmitRead(reader, buffer, -1)).Res);
    }

    [RingTheory(RequiresOpcode = RingOpcode.Fsync)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Fsync_and_fdatasync_succeed_on_a_written_file(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();
        using var file = ring.Open(directory.File("synced"));
        ring.Run(r => r.SubmitWrite(file, new byte[4096], 0)).ThrowIfFailed();

        var full = ring.Run(r => r.SubmitFsync(file, userData: "fsync"));
        var dataOnly = ring.Run(r => r.SubmitFsync(file, dataOnly: true, "fdatasync"));

        Assert.Equal(("fsync", CompletionKind.Fsync, 0), (full.UserData, full.Kind, full.Res));
        Assert.Null(full.Result);
        Assert.Equal(("fdatasync", CompletionKind.Fsync, 0), (dataOnly.UserData, dataOnly.Kind, dataOnly.Res));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingTheory(RequiresOpcode = RingOpcode.Fallocate)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Fallocate_grows_the_file_but_not_with_keep_size(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();
        using var file = ring.Open(directory.File("allocated"));

        var grown = ring.Run(r => r.SubmitFallocate(file, 0, 8192, userData: "grow"));
        Assert.Equal((CompletionKind.Fallocate, 0), (grown.Kind, grown.Res));
        Assert.Null(grown.Result);
        Assert.Equal(8192, RandomAccess.GetLength(file));

        Assert.Equal(0, ring.Run(r => r.SubmitFallocate(file, 8192, 65536, FallocateMode.KeepSize)).Res);
        Assert.Equal(8192, RandomAccess.GetLength(file));
    }

    [SkippableTheory]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Punching_a_hole_zeroes_the_range_and_keeps_the_size(string fileSystem)
    {
        var reason = RingRequirements.SkipReason(RingOpcode.Fallocate);
        Skip.If(reason is not null, reason);
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();
        using var file = ring.Open(directory.File("holey"));
        var ones = Enumerable.Repeat((byte)1, 3 * 4096).ToArray();
        Assert.Equal(ones.Length, ring.Run(r => r.SubmitWrite(file, ones, 0)).Res);

        var punched = ring.Run(r => r.SubmitFallocate(file, 4096, 4096, FallocateMode.PunchHole | FallocateMode.KeepSize));
        Skip.If(punched.Error == Errno.EOPNOTSUPP, $"the {fileSystem} filesystem cannot punch holes (EOPNOTSUPP)");

        Assert.Equal(0, punched.Res);
        var contents = new byte[ones.Length];
        Assert.Equal(contents.Length, ring.Run(r => r.SubmitRead(file, contents, 0)).Res);
        Assert.All(contents[..4096], b => Assert.Equal(1, b));
        Assert.All(contents[4096..8192], b => Assert.Equal(0, b));
        Assert.All(contents[8192..], b => Assert.Equal(1, b));
        Assert.Equal(ones.Length, RandomAccess.GetLength(file));
    }

    [RingFact(RequiresOpcode = RingOpcode.Write)]
    public void A_write_to_a_descriptor_that_is_not_open_fails_with_ebadf()
    {
        using var ring = new Ring();

        // A number far beyond any descriptor table: no other test can have opened it meanwhile.
        var completion = ring.Run(r => r.SubmitWrite(1 << 29, "x"u8.ToArray(), 0));

        Assert.Equal(Errno.EBADF, completion.Error);
        Assert.Null(completion.Result);
    }

    [RingFact]
    public void A_disposed_file_handle_is_refused_before_the_kernel()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        var file = File.OpenHandle(directory.File("gone"), FileMode.Create, FileAccess.ReadWrite);
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.SubmitRead(file, new byte[1], 0));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.Write)]
    public void A_handle_from_the_runtime_works_with_the_ring_and_a_ring_handle_works_with_random_access()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using (var runtimeHandle = File.OpenHandle(directory.File("shared"), FileMode.Create, FileAccess.ReadWrite))
        {
            Assert.Equal(6, ring.Run(r => r.SubmitWrite(runtimeHandle, "shared"u8.ToArray(), 0)).Res);
        }

        using var ringHandle = ring.Open(directory.File("shared"), OpenFlags.ReadWrite);
        var buffer = new byte[6];
        Assert.Equal(6, RandomAccess.Read(ringHandle, buffer, 0));
        Assert.Equal("shared"u8.ToArray(), buffer);
        RandomAccess.Write(ringHandle, "!"u8, 6);
        Assert.Equal(7, RandomAccess.GetLength(ringHandle));
        using var stream = new FileStream(ringHandle, FileAccess.ReadWrite);
        Assert.Equal(7, stream.Length);
    }

    [RingFact(RequiresOpcode = RingOpcode.Fallocate)]
    public async Task The_awaited_forms_read_write_sync_and_allocate()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using (ring.StartCompletionThread())
        {
            var opened = await ring.OpenAtAsync(directory.File("async"), OpenFlags.ReadWrite | OpenFlags.Create).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            using var file = Assert.IsType<SafeFileHandle>(opened.Result);

            Assert.Equal(4, (await ring.WriteAsync(file, "abcd"u8.ToArray(), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Result);
            Assert.Equal(4, (await ring.WriteVAsync(file, ["ef"u8.ToArray(), "gh"u8.ToArray()], 4).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Result);
            var buffer = new byte[8];
            Assert.Equal(8, (await ring.ReadAsync(file, buffer, 0).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Result);
            Assert.Equal("abcdefgh"u8.ToArray(), buffer);
            var halves = new[] { new byte[4], new byte[4] };
            Assert.Equal(8, (await ring.ReadVAsync(file, [halves[0], halves[1]], 0).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Result);
            Assert.Equal("efgh"u8.ToArray(), halves[1]);
            Assert.Equal(0, (await ring.FsyncAsync(file, dataOnly: true).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Res);
            Assert.Equal(0, (await ring.FallocateAsync(file, 0, 4096).AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Res);
            Assert.Equal(4096, RandomAccess.GetLength(file));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void Bad_arguments_are_refused_before_the_kernel_naming_the_parameter()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using var file = File.OpenHandle(directory.File("args"), FileMode.Create, FileAccess.ReadWrite);
        var seventeen = Enumerable.Range(0, 17).Select(_ => (ReadOnlyMemory<byte>)new byte[1]).ToArray();

        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRead(file, new byte[1], -2)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitWrite(file, new byte[1], long.MinValue)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => GC.KeepAlive(ring.ReadVAsync(file, [new byte[1]], -5).AsTask())).ParamName);
        Assert.Equal("buffer", Assert.Throws<ArgumentException>(() => ring.SubmitRead(file, Memory<byte>.Empty, 0)).ParamName);
        Assert.Equal("buffers", Assert.Throws<ArgumentException>(() => ring.SubmitWriteV(file, seventeen, 0)).ParamName);
        Assert.Equal("buffers", Assert.Throws<ArgumentException>(() => ring.SubmitReadV(file, Array.Empty<Memory<byte>>(), 0)).ParamName);
        Assert.Equal("buffers", Assert.Throws<ArgumentNullException>(() => ring.SubmitWriteV(file, null!, 0)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitFallocate(file, 0, 0)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitFallocate(file, -1, 10)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitFallocate(file, long.MaxValue, 1)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentException>(() => ring.SubmitFallocate(file, 0, 10, FallocateMode.PunchHole)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentException>(() => GC.KeepAlive(ring.FallocateAsync(file, 0, 10, (FallocateMode)0x40).AsTask())).ParamName);
        Assert.Equal("fd", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitFsync(-3)).ParamName);

        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        Assert.Equal(0, ring.InFlight);
    }
}
