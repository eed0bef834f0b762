using System.Text;
using Microsoft.Win32.SafeHandles;
using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>The permission bits of a created file when the caller gives none: 0666, narrowed by the umask, as .NET's own file APIs do.</summary>
    private const UnixFileMode DefaultCreateMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>UTF-8 that refuses a lone surrogate rather than silently turning it into U+FFFD, which would name another file.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The empty NUL-terminated path of a statx that describes a descriptor (AT_EMPTY_PATH).</summary>
    private static readonly byte[] EmptyPath = [0];

    /// <summary>
    /// Opens <paramref name="path"/> (<c>IORING_OP_OPENAT</c>, 5.6). On success the completion's
    /// <see cref="Completion.Result"/> is a <see cref="SafeFileHandle"/> that owns the new descriptor
    /// (<see cref="Completion.Res"/> is its number): use it with <see cref="System.IO.RandomAccess"/> or a
    /// <see cref="System.IO.FileStream"/>, pass it back to this ring as a <see cref="FileDescriptor"/>,
    /// and dispose it to close the file. Do not close the number yourself while the handle owns it; to
    /// close through <see cref="SubmitClose(int, object?)"/>, call <see cref="System.Runtime.InteropServices.SafeHandle.SetHandleAsInvalid"/>
    /// on the handle first. A handle nobody disposes is closed by its finalizer. The path is copied to a
    /// pinned NUL-terminated UTF-8 buffer that lives until the completion.
    /// </summary>
    /// <param name="path">The file; relative to <paramref name="directory"/>, or to the current directory when that is null.</param>
    /// <param name="flags">The access mode and options; <see cref="OpenFlags.CloseOnExec"/> is always added.</param>
    /// <param name="mode">The permission bits of a file <see cref="OpenFlags.Create"/> creates, narrowed by the umask; null for 0666. Ignored without Create.</param>
    /// <param name="directory">The directory a relative path starts from; null for the current directory (AT_FDCWD).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, holds a NUL character or a lone surrogate; or <paramref name="flags"/> has unknown bits or both WriteOnly and ReadWrite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> has bits beyond 07777, or <paramref name="directory"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="directory"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitOpenAt(string path, OpenFlags flags, UnixFileMode? mode = null, FileDescriptor? directory = null, object? userData = null) =>
        Submit(CompletionKind.OpenAt, userData, Opening(path, flags, mode, directory), PrepareOpenAt);

    /// <summary>Opens a file; the async form of <see cref="SubmitOpenAt"/>. Its <see cref="Completion.Result"/> is the owning <see cref="SafeFileHandle"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the open.</exception>
    public ValueTask<Completion> OpenAtAsync(string path, OpenFlags flags, UnixFileMode? mode = null, FileDescriptor? directory = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.OpenAt, Opening(path, flags, mode, directory), PrepareOpenAt, cancellationToken);

    /// <summary>
    /// Describes the file at <paramref name="path"/> (<c>IORING_OP_STATX</c>, 5.6). On success the
    /// completion's <see cref="Completion.Result"/> is a <see cref="FileStatus"/>. The kernel writes a
    /// 256-byte <c>struct statx</c> into the operation's slot, where it stays until the completion
    /// decodes it; the path is pinned until then too.
    /// </summary>
    /// <param name="path">The file; relative to <paramref name="directory"/>, or to the current directory when that is null.</param>
    /// <param name="directory">The directory a relative path starts from; null for the current directory.</param>
    /// <param name="followSymbolicLinks">False to describe a symbolic link itself rather than its target (AT_SYMLINK_NOFOLLOW).</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty (use <see cref="SubmitStatx(FileDescriptor, object?)"/> for a descriptor), or holds a NUL character or a lone surrogate.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="directory"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="directory"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitStatx(string path, FileDescriptor? directory = null, bool followSymbolicLinks = true, object? userData = null) =>
        Submit(CompletionKind.Statx, userData, PathStatx(path, directory, followSymbolicLinks), PrepareStatx);

    /// <summary>Describes the file at a path; the async form of <see cref="SubmitStatx(string, FileDescriptor?, bool, object?)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the statx.</exception>
    public ValueTask<Completion> StatxAsync(string path, FileDescriptor? directory = null, bool followSymbolicLinks = true, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Statx, PathStatx(path, directory, followSymbolicLinks), PrepareStatx, cancellationToken);

    /// <summary>
    /// Describes the open file <paramref name="fd"/> (<c>IORING_OP_STATX</c> with an empty path and
    /// AT_EMPTY_PATH, as <c>fstat</c>). The completion's <see cref="Completion.Result"/> is a <see cref="FileStatus"/>.
    /// </summary>
    /// <param name="fd">The descriptor; a handle is referenced until the completion.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentException"><paramref name="fd"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitStatx(FileDescriptor fd, object? userData = null) =>
        Submit(CompletionKind.Statx, userData, DescriptorStatx(fd), PrepareStatx);

    /// <summary>Describes an open file; the async form of <see cref="SubmitStatx(FileDescriptor, object?)"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the statx.</exception>
    public ValueTask<Completion> StatxAsync(FileDescriptor fd, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Statx, DescriptorStatx(fd), PrepareStatx, cancellationToken);

    private static PathArguments Opening(string path, OpenFlags flags, UnixFileMode? mode, FileDescriptor? directory)
    {
        var encoded = EncodePath(path);
        const OpenFlags known = OpenFlags.WriteOnly | OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.Truncate
            | OpenFlags.Append | OpenFlags.CloseOnExec | OpenFlags.Directory | OpenFlags.NoFollow;
        if ((flags & ~known) != 0)
        {
            throw new ArgumentException($"Unknown open flags in {flags}; use the OpenFlags values.", nameof(flags));
        }

        if ((flags & (OpenFlags.WriteOnly | OpenFlags.ReadWrite)) == (OpenFlags.WriteOnly | OpenFlags.ReadWrite))
        {
            throw new ArgumentException("WriteOnly and ReadWrite exclude each other; pass one access mode (none for ReadOnly).", nameof(flags));
        }

        var permissions = mode ?? DefaultCreateMode;
        if (((int)permissions & ~0xfff) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "A file mode holds permission bits only (at most 07777).");
        }

        return new PathArguments(encoded, directory, "directory", OpenFlagBits.ToKernel(flags), (uint)permissions);
    }

    private static PathArguments PathStatx(string path, FileDescriptor? directory, bool followSymbolicLinks) =>
        new(EncodePath(path), directory, "directory", followSymbolicLinks ? 0 : KernelConstants.AtSymlinkNoFollow, StatxBuffer.RequestMask);

    private static PathArguments DescriptorStatx(FileDescriptor fd) =>
        new(EmptyPath, fd, "fd", KernelConstants.AtEmptyPath, StatxBuffer.RequestMask);

    /// <summary>The path as the kernel reads it: UTF-8 with a terminating NUL, in an array the slot pins.</summary>
    private static byte[] EncodePath(string path, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(path))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0)
        {
            throw new ArgumentException("The path is empty; name a file (to describe an open descriptor, pass the descriptor instead of a path).", parameterName);
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The path contains a NUL character, which would end it early for the kernel; remove it.", parameterName);
        }

        try
        {
            var bytes = new byte[StrictUtf8.GetByteCount(path) + 1];
            StrictUtf8.GetBytes(path, bytes);
            return bytes;
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The path holds a lone surrogate and has no UTF-8 form; fix the string.", parameterName, e);
        }
    }

    private static OpenAtOperation PrepareOpenAt(OperationSlot slot, in PathArguments a) =>
        new(DirectoryOf(slot, a), slot.Pin(a.Path), a.Flags, a.Extra);

    private static StatxOperation PrepareStatx(OperationSlot slot, in PathArguments a) =>
        new(DirectoryOf(slot, a), slot.Pin(a.Path), a.Flags, a.Extra, slot.Scratch.PrepareStatx());

    /// <summary>The directory's number, referenced in the slot until the completion: the kernel resolves it when the operation runs, not when it is submitted.</summary>
    private static int DirectoryOf(OperationSlot slot, in PathArguments a) =>
        a.Directory is { } descriptor ? slot.Reference(descriptor, a.DirectoryParameter) : KernelConstants.AtFdCwd;

    /// <summary>The arguments of a path operation: the encoded path, the directory (or described descriptor) and its parameter's name, AT_* or O_* flags, and the mode or statx mask.</summary>
    private readonly record struct PathArguments(byte[] Path, FileDescriptor? Directory, string DirectoryParameter, uint Flags, uint Extra);
}
