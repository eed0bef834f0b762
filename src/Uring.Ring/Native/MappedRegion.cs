using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// Owns one <c>mmap</c> of a ring's shared memory and unmaps it exactly once. Unmapping while
/// operations are in flight is safe for the kernel (it holds its own references to the pages);
/// it is the pointers into the region that must not outlive it, so only <see cref="KernelRing"/> keeps them.
/// </summary>
internal sealed unsafe class MappedRegion : SafeHandle
{
    private MappedRegion(void* address, nuint length)
        : base(invalidHandleValue: IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)address);
        Length = length;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal nuint Length { get; }

    internal byte* Address => (byte*)handle;

    /// <summary>Maps <paramref name="length"/> bytes of the ring <paramref name="ringFd"/> at <paramref name="offset"/>.</summary>
    internal static MappedRegion Map(int ringFd, nuint length, long offset)
    {
        var address = Interop.Mmap(null, length, Interop.ProtRead | Interop.ProtWrite, Interop.MapShared | Interop.MapPopulate, ringFd, offset);
        if (address == Interop.MapFailed)
        {
            throw UringException.FromErrno("mmap", Interop.LastErrno);
        }

        return new MappedRegion(address, length);
    }

    protected override bool ReleaseHandle() => Interop.Munmap((void*)handle, Length) == 0;
}
