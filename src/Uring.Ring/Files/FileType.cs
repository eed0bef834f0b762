namespace Uring;

/// <summary>The kind of file a <see cref="FileStatus"/> describes (the <c>S_IFMT</c> bits of its mode).</summary>
public enum FileType
{
    /// <summary>A type bit pattern this library does not know.</summary>
    Unknown = 0,

    /// <summary><c>S_IFREG</c>: a regular file.</summary>
    RegularFile,

    /// <summary><c>S_IFDIR</c>: a directory.</summary>
    Directory,

    /// <summary><c>S_IFLNK</c>: a symbolic link (seen only when links are not followed).</summary>
    SymbolicLink,

    /// <summary><c>S_IFCHR</c>: a character device.</summary>
    CharacterDevice,

    /// <summary><c>S_IFBLK</c>: a block device.</summary>
    BlockDevice,

    /// <summary><c>S_IFIFO</c>: a named or anonymous pipe.</summary>
    Fifo,

    /// <summary><c>S_IFSOCK</c>: a socket.</summary>
    Socket,
}
