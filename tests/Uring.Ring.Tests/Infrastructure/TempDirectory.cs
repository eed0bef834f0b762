namespace Uring.Tests.Infrastructure;

/// <summary>A private directory under /tmp for Unix-domain socket paths and files, removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("uring-").FullName;

    /// <summary>A private directory under <paramref name="parent"/> (for example /dev/shm, a tmpfs).</summary>
    public TempDirectory(string parent) => Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, "uring-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
