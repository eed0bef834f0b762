using Microsoft.Win32.SafeHandles;

namespace Uring.Tests.Infrastructure;

/// <summary>
/// The two filesystems file tests run on: tmpfs (/dev/shm, page cache only) and the disk behind the
/// temp directory (ext4 on a virtio block device on the build machine), whose I/O paths differ.
/// </summary>
public static class FileSystems
{
    public const string Tmpfs = "tmpfs";
    public const string Disk = "disk";

    public static TempDirectory Directory(string fileSystem) =>
        fileSystem == Tmpfs ? new TempDirectory("/dev/shm") : new TempDirectory();

    /// <summary>Opens (by default creating) a file through the ring and returns the owning handle, failing the test on error.</summary>
    public static SafeFileHandle Open(this Ring ring, string path, OpenFlags flags = OpenFlags.ReadWrite | OpenFlags.Create)
    {
        ring.SubmitOpenAt(path, flags);
        var opened = ring.Next();
        Assert.True(opened.IsSuccess, opened.ToString());
        return Assert.IsType<SafeFileHandle>(opened.Result);
    }

    /// <summary>Submits one operation and returns its completion, failing the test if none arrives within 5 s.</summary>
    public static Completion Run(this Ring ring, Func<Ring, OperationHandle> submit)
    {
        submit(ring);
        return ring.Next();
    }
}
