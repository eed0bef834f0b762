using Uring.Native;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>The largest registered-file table (IORING_MAX_FIXED_FILES).</summary>
    public const int MaxRegisteredFiles = KernelConstants.MaxFixedFiles;

    private int _fileTableSize;

    /// <summary>The slots of the registered-file table (<see cref="RegisterFileTable"/>); 0 while there is none.</summary>
    public int FileTableSize => Volatile.Read(ref _fileTableSize);

    /// <summary>
    /// Registers a table of <paramref name="count"/> empty slots for direct descriptors
    /// (<c>IORING_REGISTER_FILES2</c>, sparse, 5.19): accepts can then put connections straight into it
    /// (<see cref="SubmitAcceptDirect"/>) and every operation taking a <see cref="FileDescriptor"/>
    /// accepts the resulting <see cref="RegisteredFile"/>s. Once per ring; the table lives as long as
    /// the ring, and disposing the ring closes whatever is still in it.
    /// </summary>
    /// <param name="count">Slots, 1 to <see cref="MaxRegisteredFiles"/>; the kernel also caps it at RLIMIT_NOFILE.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The ring already has a table; or a SingleIssuer ring called from a thread that is not its submitter.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="UringException">The kernel refused the table (the message says why).</exception>
    public void RegisterFileTable(int count)
    {
        if (count < 1 || count > MaxRegisteredFiles)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A registered-file table has 1 to {MaxRegisteredFiles} slots.");
        }

        // io_uring_register obeys SINGLE_ISSUER like submissions do, and the lock orders it with them.
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            if (_fileTableSize != 0)
            {
                throw new InvalidOperationException(
                    $"This ring already has a registered-file table of {_fileTableSize} slots, and the kernel allows one per ring; size it for the most direct descriptors you keep open at once.");
            }

            var result = _raw.Kernel.RegisterSparseFiles((uint)count);
            if (result < 0)
            {
                var errno = (Errno)(-result);
                throw UringException.FromErrno("io_uring_register(IORING_REGISTER_FILES2)", errno, errno switch
                {
                    Errno.EMFILE => $"{count} slots exceed the process's open-file limit (RLIMIT_NOFILE); raise it (ulimit -n) or register fewer.",
                    Errno.EINVAL => "This kernel does not support sparse registered-file tables (Linux 5.19+).",
                    Errno.EBUSY => "The ring already has a registered-file table.",
                    _ => null,
                });
            }

            Volatile.Write(ref _fileTableSize, count);
        }
    }

    /// <summary>
    /// Puts open descriptor <paramref name="fd"/> into slot <paramref name="index"/> of the table
    /// (<c>IORING_REGISTER_FILES_UPDATE</c>), closing whatever direct descriptor was there. The table
    /// takes its own reference to the file, so <paramref name="fd"/> (and its <see cref="System.Net.Sockets.Socket"/>)
    /// may be closed afterwards: the direct descriptor lives on until closed with
    /// <see cref="SubmitClose(RegisteredFile, object?)"/> or the ring is disposed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="fd"/> is itself a registered file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the table.</exception>
    /// <exception cref="InvalidOperationException">No table is registered; or a SingleIssuer ring called from a thread that is not its submitter.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the handle behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="UringException">The kernel refused (EBADF: not an open descriptor, or an io_uring).</exception>
    public RegisteredFile RegisterFile(FileDescriptor fd, int index)
    {
        if (fd.IsRegistered)
        {
            throw new ArgumentException("The descriptor is already a registered file; pass an open fd, Socket or SafeHandle.", nameof(fd));
        }

        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            RequireFileTable();
            if ((uint)index >= (uint)_fileTableSize)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The registered-file table has slots 0 to {_fileTableSize - 1}.");
            }

            var number = fd.AddRef(nameof(fd));
            try
            {
                var result = _raw.Kernel.UpdateFile((uint)index, number);
                if (result < 0)
                {
                    var errno = (Errno)(-result);
                    throw UringException.FromErrno("io_uring_register(IORING_REGISTER_FILES_UPDATE)", errno,
                        errno == Errno.EBADF ? "The descriptor is not open, or is an io_uring (rings cannot be registered)." : null);
                }
            }
            finally
            {
                fd.Release();
            }
        }

        return new RegisteredFile(this, index);
    }

    /// <summary>
    /// Accepts one connection on <paramref name="listener"/> straight into a free slot of the
    /// registered-file table (<c>IORING_FILE_INDEX_ALLOC</c>, 5.19): no fd is created.
    /// <see cref="Completion.Result"/> is an <see cref="AcceptedRegisteredFile"/> with the slot and the
    /// peer's address. ENFILE when every slot is taken (the kernel then drops the connection).
    /// </summary>
    /// <param name="listener">The listening socket (may itself be a registered file).</param>
    /// <param name="flags">None, or <see cref="SocketCreationFlags.NonBlocking"/>; close-on-exec has no meaning without an fd, and the kernel refuses it.</param>
    /// <param name="userData">Returned with the completion.</param>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds CloseOnExec or an unknown flag.</exception>
    /// <exception cref="InvalidOperationException">No table is registered (<see cref="RegisterFileTable"/>).</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="listener"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitAcceptDirect(FileDescriptor listener, SocketCreationFlags flags = SocketCreationFlags.None, object? userData = null) =>
        Submit(CompletionKind.AcceptDirect, userData, DirectAccept(listener, flags), PrepareAcceptDirect);

    /// <summary>Accepts one connection into the registered-file table; the async form of <see cref="SubmitAcceptDirect"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the accept.</exception>
    public ValueTask<Completion> AcceptDirectAsync(FileDescriptor listener, SocketCreationFlags flags = SocketCreationFlags.None, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.AcceptDirect, DirectAccept(listener, flags), PrepareAcceptDirect, cancellationToken);

    /// <summary>
    /// Keeps accepting connections on <paramref name="listener"/> into free slots of the registered-file
    /// table (<c>IORING_ACCEPT_MULTISHOT</c> with <c>IORING_FILE_INDEX_ALLOC</c>): one completion per
    /// connection, numbered by <see cref="Completion.Sequence"/>, each with an
    /// <see cref="AcceptedRegisteredFile"/> (no peer address: see its remarks), and
    /// <see cref="Completion.HasMore"/> while still armed. A full table ends the request with ENFILE.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds CloseOnExec or an unknown flag.</exception>
    /// <exception cref="InvalidOperationException">No table is registered (<see cref="RegisterFileTable"/>).</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="listener"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseSequence"/> is negative.</exception>
    /// <remarks><paramref name="baseSequence"/> (default 0) is the first leg's <see cref="Completion.Sequence"/>: give the next number of a stream you re-arm, and its numbering continues.</remarks>
    public OperationHandle SubmitAcceptDirectMultishot(FileDescriptor listener, SocketCreationFlags flags = SocketCreationFlags.None, object? userData = null, int baseSequence = 0) =>
        Submit(CompletionKind.AcceptDirectMultishot, userData, DirectAccept(listener, flags), PrepareAcceptDirectMultishot, baseSequence: RequireBaseSequence(baseSequence));

    /// <summary>
    /// Keeps accepting into the registered-file table, as an async stream (see
    /// <see cref="SubmitAcceptDirectMultishot"/>); re-armed when the kernel stops it after a connection,
    /// ended by an error completion (ENFILE when the table is full). Cancelling or leaving the loop cancels it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds CloseOnExec or an unknown flag.</exception>
    /// <exception cref="InvalidOperationException">No table is registered (<see cref="RegisterFileTable"/>).</exception>
    public IAsyncEnumerable<Completion> AcceptDirectMultishotAsync(FileDescriptor listener, SocketCreationFlags flags = SocketCreationFlags.None, CancellationToken cancellationToken = default) =>
        StreamAsync(CompletionKind.AcceptDirectMultishot, DirectAccept(listener, flags), PrepareAcceptDirectMultishot, static leg => leg.Res >= 0, cancellationToken);

    /// <summary>
    /// Closes direct descriptor <paramref name="file"/> (<c>IORING_OP_CLOSE</c> with <c>file_index</c>,
    /// 5.15): its slot is emptied and the kernel drops its reference to the file; for a connection
    /// that was the last one, the peer sees end of stream. Completion of kind
    /// <see cref="CompletionKind.Close"/>: res 0, or EBADF when the slot was already empty.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="file"/> is default or belongs to another ring.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The ring cannot take another operation now.</exception>
    public OperationHandle SubmitClose(RegisteredFile file, object? userData = null) =>
        Submit(CompletionKind.Close, userData, RequireOwnFile(file, nameof(file)), PrepareCloseDirect);

    /// <summary>Closes a direct descriptor; the async form of <see cref="SubmitClose(RegisteredFile, object?)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="file"/> is default or belongs to another ring.</exception>
    public ValueTask<Completion> CloseAsync(RegisteredFile file, CancellationToken cancellationToken = default) =>
        SubmitAsync(CompletionKind.Close, RequireOwnFile(file, nameof(file)), PrepareCloseDirect, cancellationToken);

    /// <summary>
    /// Checks that <paramref name="file"/> is a direct descriptor of this ring and returns its slot.
    /// Another ring's slot number would name a different file here (or none), so it is refused before
    /// the kernel sees it.
    /// </summary>
    internal int RequireOwnFile(RegisteredFile file, string parameterName)
    {
        if (!file.IsValid)
        {
            throw new ArgumentException("The registered file is default; pass one that an accept into the table or RegisterFile returned.", parameterName);
        }

        if (!ReferenceEquals(file.Ring, this))
        {
            throw new ArgumentException(
                $"{file} belongs to another ring's registered-file table; a slot means nothing to this ring. Use it on the ring that accepted or registered it.", parameterName);
        }

        return file.Index;
    }

    private void RequireFileTable()
    {
        if (FileTableSize == 0)
        {
            throw new InvalidOperationException("This ring has no registered-file table; call RegisterFileTable(count) once before accepting into it or registering files.");
        }
    }

    private (FileDescriptor Listener, SocketCreationFlags Flags) DirectAccept(FileDescriptor listener, SocketCreationFlags flags, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(flags))] string? parameterName = null)
    {
        if ((flags & ~SocketCreationFlags.NonBlocking) != 0)
        {
            throw new ArgumentException(
                $"A direct descriptor takes only SocketCreationFlags.NonBlocking, not {flags}: it has no fd, so close-on-exec means nothing and the kernel refuses it (EINVAL).", parameterName);
        }

        RequireFileTable();
        return (listener, flags);
    }

    private static AcceptOperation PrepareAcceptDirect(OperationSlot slot, in (FileDescriptor Listener, SocketCreationFlags Flags) a)
    {
        var listener = slot.Reference(a.Listener, "listener");
        var scratch = slot.Scratch;
        scratch.AddressLength = SlotScratch.SockaddrCapacity;
        return new AcceptOperation(listener, scratch.SockaddrAddress, scratch.AddressLengthAddress, a.Flags, FileIndex: KernelConstants.FileIndexAlloc);
    }

    private static AcceptOperation PrepareAcceptDirectMultishot(OperationSlot slot, in (FileDescriptor Listener, SocketCreationFlags Flags) a) =>
        new(slot.Reference(a.Listener, "listener"), 0, 0, a.Flags, Multishot: true, FileIndex: KernelConstants.FileIndexAlloc);

    private static CloseOperation PrepareCloseDirect(OperationSlot slot, in int index) => new(0, FileIndex: (uint)index + 1);
}
