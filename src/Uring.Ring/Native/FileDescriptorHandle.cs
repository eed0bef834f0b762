using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>Owns a file descriptor this library created (the ring, its wake eventfd) and closes it exactly once.</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    internal FileDescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number; valid until the handle is disposed.</summary>
    internal int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}
