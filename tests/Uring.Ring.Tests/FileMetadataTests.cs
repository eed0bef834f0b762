using Microsoft.Win32.SafeHandles;
using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Opening files and describing them with statx, on tmpfs and on the disk.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class FileMetadataTests
{
    [RingTheory(RequiresOpcode = RingOpcode.OpenAt)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Openat_creates_a_file_with_the_requested_mode_and_close_on_exec(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        using var ring = new Ring();

        ring.SubmitOpenAt(directory.File("created"), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, UnixFileMode.UserRead | UnixFileMode.UserWrite, userData: "open");
        var opened = ring.Next();

        Assert.Equal(("open", CompletionKind.OpenAt), (opened.UserData, opened.Kind));
        Assert.True(opened.Res >= 0, opened.ToString());
        using var file = Assert.IsType<SafeFileHandle>(opened.Result);
        Assert.Equal(opened.Res, (int)file.DangerousGetHandle());
        Assert.True(Descriptors.IsCloseOnExec(opened.Res));
        Assert.Same(opened.Result, opened.Result); // one handle, not one per read of Result
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.File("created")));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.OpenAt)]
    public void Openat_with_exclusive_on_an_existing_file_fails_with_eexist()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("exists"), "x");
        using var ring = new Ring();

        var refused = ring.Run(r => r.SubmitOpenAt(directory.File("exists"), OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive));

        Assert.Equal(Errno.EEXIST, refused.Error);
        Assert.Null(refused.Result);
    }

    [RingFact(RequiresOpcode = RingOpcode.OpenAt)]
    public void Openat_of_a_missing_path_fails_with_enoent()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();

        Assert.Equal(Errno.ENOENT, ring.Run(r => r.SubmitOpenAt(directory.File("missing"), OpenFlags.ReadOnly)).Error);
        Assert.Equal(Errno.ENOENT, ring.Run(r => r.SubmitOpenAt(directory.File("no/such/dir"), OpenFlags.ReadWrite | OpenFlags.Create)).Error);
    }

    [RingFact(RequiresOpcode = RingOpcode.OpenAt)]
    public void Opening_a_directory_for_writing_fails_with_eisdir_and_a_file_as_a_directory_with_enotdir()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("plain"), "x");
        using var ring = new Ring();

        Assert.Equal(Errno.EISDIR, ring.Run(r => r.SubmitOpenAt(directory.Path, OpenFlags.WriteOnly)).Error);
        Assert.Equal(Errno.ENOTDIR, ring.Run(r => r.SubmitOpenAt(directory.File("plain"), OpenFlags.ReadOnly | OpenFlags.Directory)).Error);
    }

    [RingFact(RequiresOpcode = RingOpcode.Write)]
    public void A_directory_descriptor_refuses_reads_with_eisdir_and_writes_with_ebadf()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using var opened = ring.Open(directory.Path, OpenFlags.ReadOnly | OpenFlags.Directory);

        Assert.Equal(Errno.EBADF, ring.Run(r => r.SubmitWrite(opened, "x"u8.ToArray(), 0)).Error); // a directory opens read-only only
        Assert.Equal(Errno.EISDIR, ring.Run(r => r.SubmitRead(opened, new byte[1], 0)).Error);
    }

    [RingFact(RequiresOpcode = RingOpcode.OpenAt)]
    public void A_relative_path_opens_under_the_directory_descriptor_given()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("inside"), "inside");
        using var ring = new Ring();
        using var parent = ring.Open(directory.Path, OpenFlags.ReadOnly | OpenFlags.Directory);

        ring.SubmitOpenAt("inside", OpenFlags.ReadOnly, directory: parent);
        using var file = Assert.IsType<SafeFileHandle>(ring.Next().Result);

        var buffer = new byte[6];
        Assert.Equal(6, RandomAccess.Read(file, buffer, 0));
        Assert.Equal("inside"u8.ToArray(), buffer);
        Assert.Equal(Errno.ENOENT, ring.Run(r => r.SubmitOpenAt("inside", OpenFlags.ReadOnly)).Error); // not in the current directory
    }

    [RingTheory(RequiresOpcode = RingOpcode.Statx)]
    [InlineData(FileSystems.Tmpfs)]
    [InlineData(FileSystems.Disk)]
    public void Statx_reports_the_size_type_and_times_of_a_written_file(string fileSystem)
    {
        using var directory = FileSystems.Directory(fileSystem);
        var before = DateTimeOffset.UtcNow.AddSeconds(-2); // filesystem clocks are coarse
        using var ring = new Ring();
        using (var file = ring.Open(directory.File("sized")))
        {
            ring.Run(r => r.SubmitWrite(file, new byte[1234], 0)).ThrowIfFailed();
        }

        var completion = ring.Run(r => r.SubmitStatx(directory.File("sized"), userData: "statx"));

        Assert.Equal(("statx", CompletionKind.Statx, 0), (completion.UserData, completion.Kind, completion.Res));
        var status = Assert.IsType<FileStatus>(completion.Result);
        var expected = new FileInfo(directory.File("sized"));
        Assert.Equal(FileType.RegularFile, status.Type);
        Assert.True(status.IsRegularFile);
        Assert.Equal(1234, status.Size);
        Assert.Equal(File.GetUnixFileMode(expected.FullName), status.Mode);
        Assert.Equal(1u, status.LinkCount);
        Assert.True(status.BlockSize > 0);
        Assert.True(status.Blocks > 0);
        Assert.InRange(status.ModifyTime, before, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(expected.LastWriteTimeUtc, status.ModifyTime.UtcDateTime);
        Assert.True(status.ChangeTime >= before);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [RingFact(RequiresOpcode = RingOpcode.Statx)]
    public void Statx_of_a_directory_reports_a_directory()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();

        var status = Assert.IsType<FileStatus>(ring.Run(r => r.SubmitStatx(directory.Path)).Result);

        Assert.Equal(FileType.Directory, status.Type);
        Assert.True(status.IsDirectory);
        Assert.True(status.LinkCount >= 2);
    }

    [RingFact(RequiresOpcode = RingOpcode.Statx)]
    public void Statx_of_a_descriptor_describes_the_open_file_even_after_it_was_unlinked()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using var file = ring.Open(directory.File("described"));
        ring.Run(r => r.SubmitWrite(file, new byte[77], 0)).ThrowIfFailed();
        var byPath = Assert.IsType<FileStatus>(ring.Run(r => r.SubmitStatx(directory.File("described"))).Result);
        File.Delete(directory.File("described"));

        var byDescriptor = Assert.IsType<FileStatus>(ring.Run(r => r.SubmitStatx(file, "fstat")).Result);

        Assert.Equal(byPath.Inode, byDescriptor.Inode);
        Assert.Equal((byPath.DeviceMajor, byPath.DeviceMinor), (byDescriptor.DeviceMajor, byDescriptor.DeviceMinor));
        Assert.Equal(77, byDescriptor.Size);
        Assert.Equal(0u, byDescriptor.LinkCount);
    }

    [RingFact(RequiresOpcode = RingOpcode.Statx)]
    public void Statx_follows_a_symbolic_link_unless_asked_not_to()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("target"), "target");
        File.CreateSymbolicLink(directory.File("link"), directory.File("target"));
        using var ring = new Ring();

        var followed = Assert.IsType<FileStatus>(ring.Run(r => r.SubmitStatx("link", directory: ring.Open(directory.Path, OpenFlags.Directory))).Result);
        var link = Assert.IsType<FileStatus>(ring.Run(r => r.SubmitStatx(directory.File("link"), followSymbolicLinks: false)).Result);

        Assert.Equal((FileType.RegularFile, 6L), (followed.Type, followed.Size));
        Assert.Equal(FileType.SymbolicLink, link.Type);
    }

    [RingFact(RequiresOpcode = RingOpcode.Statx)]
    public void Statx_of_a_missing_path_fails_with_enoent_and_no_status()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();

        var completion = ring.Run(r => r.SubmitStatx(directory.File("missing")));

        Assert.Equal(Errno.ENOENT, completion.Error);
        Assert.Null(completion.Result);
    }

    [RingFact(RequiresOpcode = RingOpcode.Statx)]
    public async Task The_awaited_forms_open_and_describe()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        using (ring.StartCompletionThread())
        {
            var opened = await ring.OpenAtAsync(directory.File("awaited"), OpenFlags.ReadWrite | OpenFlags.Create).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            using var file = Assert.IsType<SafeFileHandle>(opened.Result);
            RandomAccess.Write(file, "12345"u8, 0);

            var byPath = await ring.StatxAsync(directory.File("awaited")).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            var byDescriptor = await ring.StatxAsync(file).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

            Assert.Equal(5, Assert.IsType<FileStatus>(byPath.Result).Size);
            Assert.Equal(Assert.IsType<FileStatus>(byPath.Result), Assert.IsType<FileStatus>(byDescriptor.Result));
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void Bad_paths_flags_and_modes_are_refused_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => ring.SubmitOpenAt(null!, OpenFlags.ReadOnly)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ring.SubmitOpenAt("", OpenFlags.ReadOnly)).ParamName);
        var nul = Assert.Throws<ArgumentException>(() => ring.SubmitOpenAt("/tmp/a\0b", OpenFlags.ReadOnly));
        Assert.Equal("path", nul.ParamName);
        Assert.Contains("NUL", nul.Message, StringComparison.Ordinal);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ring.SubmitOpenAt("/tmp/\ud800", OpenFlags.ReadOnly)).ParamName);
        Assert.Equal("flags", Assert.Throws<ArgumentException>(() => ring.SubmitOpenAt("/tmp/x", OpenFlags.WriteOnly | OpenFlags.ReadWrite)).ParamName);
        Assert.Equal("flags", Assert.Throws<ArgumentException>(() => ring.SubmitOpenAt("/tmp/x", (OpenFlags)(1 << 20))).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitOpenAt("/tmp/x", OpenFlags.Create, (UnixFileMode)0x1000)).ParamName);
        Assert.Equal("directory", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitOpenAt("x", OpenFlags.ReadOnly, directory: -2)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ring.SubmitStatx("")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => GC.KeepAlive(ring.StatxAsync("a\0").AsTask())).ParamName);
        Assert.Equal("fd", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitStatx(-1)).ParamName);

        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        Assert.Equal(0, ring.InFlight);
    }
}
