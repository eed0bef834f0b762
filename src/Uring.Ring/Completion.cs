using System.Net;

namespace Uring;

/// <summary>
/// One completion delivered by a <see cref="Ring"/>: the caller's <see cref="UserData"/>, the
/// kernel's <see cref="Res"/> and <see cref="Flags"/>, the operation's <see cref="Kind"/>, and the
/// per-operation <see cref="Result"/>.
/// </summary>
/// <remarks>
/// <see cref="Result"/> by <see cref="Kind"/>; it is null whenever <see cref="Res"/> is an error:
/// <list type="table">
/// <listheader><term>Kind</term><description>Result</description></listheader>
/// <item><term>Recv, Send, SendTo, SendMsg, SendZc, SendMsgZc, SendAll</term><description><see cref="int"/>: bytes transferred (Recv: 0 is end of stream).</description></item>
/// <item><term>RecvMsg</term><description><see cref="ReceivedMessage"/>: bytes, the source's <see cref="EndPoint"/>, the returned message flags.</description></item>
/// <item><term>RecvMultishot</term><description><c>byte[]</c>: a copy of this leg's data (empty at end of stream); also in <see cref="Data"/>.</description></item>
/// <item><term>RecvMultishotLeased</term><description><see cref="ReceivedLease"/>: this leg's data in the provided buffer, not copied (null at end of stream); also in <see cref="Lease"/>. The receiver must dispose it.</description></item>
/// <item><term>Poll, PollMultishot</term><description><see cref="PollEvents"/>: the ready events (also in <see cref="Events"/>).</description></item>
/// <item><term>Accept, AcceptMultishot</term><description><see cref="AcceptedSocket"/>: the new descriptor and the peer's <see cref="EndPoint"/>.</description></item>
/// <item><term>AcceptDirect, AcceptDirectMultishot</term><description><see cref="AcceptedRegisteredFile"/>: the slot of the registered-file table the kernel filled, and (one-shot only) the peer's <see cref="EndPoint"/>.</description></item>
/// <item><term>Socket</term><description><see cref="int"/>: the new descriptor.</description></item>
/// <item><term>Read, Write, ReadV, WriteV</term><description><see cref="int"/>: bytes transferred (reads: 0 is end of file).</description></item>
/// <item><term>OpenAt</term><description><see cref="Microsoft.Win32.SafeHandles.SafeFileHandle"/>: owns the new descriptor (<see cref="Res"/>); dispose it to close the file.</description></item>
/// <item><term>Statx</term><description><see cref="FileStatus"/>: the file's type, mode, size, owner, times.</description></item>
/// <item><term>Nop, Connect, Shutdown, Close, Cancel, Fsync, Fallocate</term><description>null (<see cref="Res"/> is 0 on success; for Cancel, ENOENT or EALREADY say the target had completed or was running).</description></item>
/// </list>
/// A descriptor in a result belongs to the caller: adopt it into a <see cref="System.Net.Sockets.Socket"/>
/// (<see cref="AcceptedSocket.ToSocket"/>, or <c>new Socket(new SafeSocketHandle(fd, true))</c>) or close it
/// with <see cref="Ring.SubmitClose(int, object?)"/>; a direct descriptor belongs to the ring's table until
/// closed with <see cref="Ring.SubmitClose(RegisteredFile, object?)"/> or the ring is disposed.
/// <para>An operation submitted with a deadline (the overloads taking a <see cref="TimeSpan"/> timeout) that
/// the deadline cut short completes with <see cref="Errno.ECANCELED"/> and <see cref="TimedOut"/> true.</para>
/// </remarks>
public readonly struct Completion
{
    private readonly object? _payload;

    internal Completion(object? userData, int res, CompletionFlags flags, int sequence, CompletionKind kind, object? payload = null, bool timedOut = false)
    {
        TimedOut = timedOut;
        UserData = userData;
        Res = res;
        Flags = flags;
        Sequence = sequence;
        Kind = kind;
        _payload = payload;
    }

    /// <summary>The object passed to the submit call — the same instance.</summary>
    public object? UserData { get; }

    /// <summary>The kernel's raw result: a byte count, fd or 0 on success; a negated errno on failure.</summary>
    public int Res { get; }

    /// <summary>The kernel's completion flags (a zero-copy send's <see cref="CompletionFlags.More"/> is hidden: its notification is consumed internally).</summary>
    public CompletionFlags Flags { get; }

    /// <summary>The position of this completion within its operation: 0, 1, 2… for multishot legs; always 0 for one-shot operations.</summary>
    public int Sequence { get; }

    /// <summary>The operation this completion belongs to.</summary>
    public CompletionKind Kind { get; }

    /// <summary>True when more completions of the same operation will follow (<see cref="CompletionFlags.More"/>).</summary>
    public bool HasMore => (Flags & CompletionFlags.More) != 0;

    /// <summary>
    /// True when the operation's deadline cancelled it: it was submitted with a timeout, had not
    /// completed when the timeout passed, and the kernel cancelled it (<see cref="Error"/> is
    /// <see cref="Errno.ECANCELED"/>). False for every other completion — also for an operation
    /// cancelled by <see cref="Ring.SubmitCancel"/>, a <see cref="CancellationToken"/> or
    /// <see cref="Ring.Dispose"/> before its deadline.
    /// </summary>
    public bool TimedOut { get; }

    /// <summary>True when <see cref="Res"/> is not an error.</summary>
    public bool IsSuccess => Res >= 0;

    /// <summary>The error when <see cref="Res"/> is negative, otherwise <see cref="Errno.None"/>.</summary>
    public Errno Error => Res < 0 ? (Errno)(-Res) : Errno.None;

    /// <summary>The per-operation result (see the table on <see cref="Completion"/>); null on error.</summary>
    public object? Result => !IsSuccess ? null : Kind switch
    {
        CompletionKind.Recv or CompletionKind.Send or CompletionKind.SendTo or CompletionKind.SendMsg
            or CompletionKind.SendZc or CompletionKind.SendMsgZc or CompletionKind.Socket or CompletionKind.SendAll
            or CompletionKind.Read or CompletionKind.Write or CompletionKind.ReadV or CompletionKind.WriteV => Res,
        CompletionKind.RecvMsg or CompletionKind.RecvMultishot or CompletionKind.RecvMultishotLeased or CompletionKind.Accept or CompletionKind.AcceptMultishot
            or CompletionKind.OpenAt or CompletionKind.Statx or CompletionKind.AcceptDirect or CompletionKind.AcceptDirectMultishot => _payload,
        CompletionKind.Poll or CompletionKind.PollMultishot => Events,
        _ => null,
    };

    /// <summary>
    /// The bytes a send-all (<see cref="Ring.SubmitSendAll"/>) sent: the whole buffer on success, and
    /// on an error (or a cancel) how many went out before it. For the other sends, the byte count on
    /// success and 0 on error; 0 for every other kind.
    /// </summary>
    public int BytesSent => Kind switch
    {
        CompletionKind.SendAll => IsSuccess ? Res : _payload as int? ?? 0,
        CompletionKind.Send or CompletionKind.SendTo or CompletionKind.SendMsg or CompletionKind.SendZc or CompletionKind.SendMsgZc => IsSuccess ? Res : 0,
        _ => 0,
    };

    /// <summary>The ready events of a poll completion (<see cref="PollEvents.None"/> for other kinds and failures).</summary>
    public PollEvents Events => IsSuccess && Kind is CompletionKind.Poll or CompletionKind.PollMultishot ? (PollEvents)Res : PollEvents.None;

    /// <summary>A multishot receive leg's data (a copy, owned by the caller); empty for other kinds.</summary>
    public ReadOnlyMemory<byte> Data => _payload as byte[] ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// A leased multishot receive leg's data, left in the kernel's provided buffer (see
    /// <see cref="ReceivedLease"/>); null for other kinds, at end of stream and on errors. The receiver
    /// owns it and must dispose it to give the buffer back.
    /// </summary>
    public ReceivedLease? Lease => _payload as ReceivedLease;

    /// <summary>
    /// For a leased receive's final ENOBUFS completion: completes once a buffer of its exhausted
    /// buffer ring has come back from a lease (the moment re-arming makes sense); completed at once
    /// for every other completion.
    /// </summary>
    internal Task WhenBufferReturned() => _payload is Native.ProvidedBufferRing exhausted ? exhausted.WhenBufferReturned() : Task.CompletedTask;

    /// <summary>The peer of an accept, or the source of a received message; null for other kinds.</summary>
    public EndPoint? RemoteEndPoint => _payload switch
    {
        AcceptedSocket accepted => accepted.RemoteEndPoint,
        AcceptedRegisteredFile direct => direct.RemoteEndPoint,
        ReceivedMessage message => message.RemoteEndPoint,
        _ => null,
    };

    /// <summary>The same completion with another sequence number and flags (async streams number legs across re-armed requests).</summary>
    internal Completion Renumbered(int sequence, CompletionFlags flags) => new(UserData, Res, flags, sequence, Kind, _payload, TimedOut);

    /// <summary>The same completion, marked as cut short by its deadline.</summary>
    internal Completion AsTimedOut() => new(UserData, Res, Flags, Sequence, Kind, _payload, timedOut: true);

    /// <summary>Throws a <see cref="UringException"/> naming the operation and the error when the completion failed.</summary>
    public void ThrowIfFailed()
    {
        if (!IsSuccess)
        {
            throw new UringException(Kind.ToString(), Error);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} res={(IsSuccess ? Res.ToString(System.Globalization.CultureInfo.InvariantCulture) : Error.ToString())} flags={Flags} seq={Sequence}{(TimedOut ? " timed out" : "")}";
}
