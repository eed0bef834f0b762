namespace Uring;

/// <summary>What <see cref="Ring.SubmitFallocate"/> does to the byte range (<c>FALLOC_FL_*</c>, the kernel's values).</summary>
[Flags]
public enum FallocateMode
{
    /// <summary>Allocate the range, growing the file when the range ends past it; new bytes read as zeros.</summary>
    None = 0,

    /// <summary><c>FALLOC_FL_KEEP_SIZE</c>: allocate blocks but leave the file's size unchanged.</summary>
    KeepSize = 0x01,

    /// <summary>
    /// <c>FALLOC_FL_PUNCH_HOLE</c>: free the range's blocks, so it reads as zeros. The kernel requires
    /// <see cref="KeepSize"/> with it. Not every filesystem supports it (EOPNOTSUPP).
    /// </summary>
    PunchHole = 0x02,
}
