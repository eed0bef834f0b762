using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// Translates <see cref="OpenFlags"/> into the running architecture's <c>O_*</c> bits. Most are the
/// same everywhere; <c>O_DIRECTORY</c> and <c>O_NOFOLLOW</c> sit lower on arm and arm64
/// (<c>arch/arm64/include/uapi/asm/fcntl.h</c>) than in the generic header x86-64 uses.
/// </summary>
internal static class OpenFlagBits
{
    private const int OWriteOnly = 0x1;
    private const int OReadWrite = 0x2;
    private const int OCreate = 0x40;
    private const int OExclusive = 0x80;
    private const int OTruncate = 0x200;
    private const int OAppend = 0x400;
    private const int OCloseOnExec = 0x80000;

    private static readonly bool ArmLayout = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    private static int ODirectory => ArmLayout ? 0x4000 : 0x10000;

    private static int ONoFollow => ArmLayout ? 0x8000 : 0x20000;

    /// <summary>The kernel's <c>open_flags</c> for <paramref name="flags"/>, close-on-exec always included.</summary>
    internal static uint ToKernel(OpenFlags flags)
    {
        var bits = OCloseOnExec;
        bits |= (flags & OpenFlags.WriteOnly) != 0 ? OWriteOnly : 0;
        bits |= (flags & OpenFlags.ReadWrite) != 0 ? OReadWrite : 0;
        bits |= (flags & OpenFlags.Create) != 0 ? OCreate : 0;
        bits |= (flags & OpenFlags.Exclusive) != 0 ? OExclusive : 0;
        bits |= (flags & OpenFlags.Truncate) != 0 ? OTruncate : 0;
        bits |= (flags & OpenFlags.Append) != 0 ? OAppend : 0;
        bits |= (flags & OpenFlags.Directory) != 0 ? ODirectory : 0;
        bits |= (flags & OpenFlags.NoFollow) != 0 ? ONoFollow : 0;
        return (uint)bits;
    }
}
