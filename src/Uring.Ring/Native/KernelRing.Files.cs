using System.Runtime.InteropServices;

namespace Uring.Native;

internal sealed unsafe partial class KernelRing
{
    /// <summary>
    /// Registers a table of <paramref name="count"/> empty slots for direct descriptors
    /// (<c>IORING_REGISTER_FILES2</c> with <c>IORING_RSRC_REGISTER_SPARSE</c>, 5.19). Returns 0, or the
    /// negated errno: EBUSY when a table exists, EMFILE above the kernel's limit or RLIMIT_NOFILE.
    /// </summary>
    internal int RegisterSparseFiles(uint count)
    {
        var registration = new ResourceRegistration { Count = count, Flags = KernelConstants.RsrcRegisterSparse };
        return Register(RegisterOpcode.RegisterFiles2, &registration, (uint)sizeof(ResourceRegistration));
    }

    /// <summary>
    /// Puts open descriptor <paramref name="fd"/> into slot <paramref name="index"/> of the table
    /// (<c>IORING_REGISTER_FILES_UPDATE</c>), replacing what was there; the table takes its own
    /// reference to the file. Returns 1, or the negated errno (ENXIO: no table; EINVAL: out of range;
    /// EBADF: not an open descriptor, or an io_uring).
    /// </summary>
    internal int UpdateFile(uint index, int fd)
    {
        var descriptor = fd;
        var update = new FilesUpdate { Offset = index, Fds = (ulong)&descriptor };
        return Register(RegisterOpcode.RegisterFilesUpdate, &update, 1);
    }

    /// <summary><c>struct io_uring_rsrc_register</c> (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ResourceRegistration
    {
        internal uint Count;
        internal uint Flags;
        internal ulong Reserved;
        internal ulong Data;
        internal ulong Tags;
    }

    /// <summary><c>struct io_uring_files_update</c> (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FilesUpdate
    {
        internal uint Offset;
        internal uint Reserved;
        internal ulong Fds;
    }
}
