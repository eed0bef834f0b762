namespace Uring;

/// <summary>
/// How <see cref="Ring.SubmitOpenAt"/> opens a file: the access mode (<see cref="ReadOnly"/>,
/// <see cref="WriteOnly"/> or <see cref="ReadWrite"/>) combined with <c>O_*</c> options. The values
/// are this library's own: the ring translates them to the running architecture's <c>O_*</c> bits,
/// which differ between x86-64 and arm64 for <see cref="Directory"/> and <see cref="NoFollow"/>.
/// </summary>
[Flags]
public enum OpenFlags
{
    /// <summary><c>O_RDONLY</c>: open for reading only (the access mode when neither write flag is given).</summary>
    ReadOnly = 0,

    /// <summary><c>O_WRONLY</c>: open for writing only.</summary>
    WriteOnly = 1 << 0,

    /// <summary><c>O_RDWR</c>: open for reading and writing.</summary>
    ReadWrite = 1 << 1,

    /// <summary><c>O_CREAT</c>: create the file if it does not exist, with the mode given to the open.</summary>
    Create = 1 << 2,

    /// <summary><c>O_EXCL</c>: with <see cref="Create"/>, fail with EEXIST if the file exists.</summary>
    Exclusive = 1 << 3,

    /// <summary><c>O_TRUNC</c>: cut an existing regular file to length 0 (needs write access).</summary>
    Truncate = 1 << 4,

    /// <summary><c>O_APPEND</c>: every write goes to the end of the file.</summary>
    Append = 1 << 5,

    /// <summary>
    /// <c>O_CLOEXEC</c>: close the descriptor in child processes. Always added, whether given or not:
    /// .NET opens all its files and sockets close-on-exec so that <c>Process.Start</c> children do not
    /// inherit them, and a ring-opened file must not be the exception.
    /// </summary>
    CloseOnExec = 1 << 6,

    /// <summary><c>O_DIRECTORY</c>: fail with ENOTDIR unless the path is a directory.</summary>
    Directory = 1 << 7,

    /// <summary><c>O_NOFOLLOW</c>: fail with ELOOP if the last path component is a symbolic link.</summary>
    NoFollow = 1 << 8,
}
