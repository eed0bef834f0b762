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
/// <item><term>Recv, Send, SendTo, SendMsg, SendZc, SendMsgZc</term><description><see cref="int"/>: bytes transferred (Recv: 0 is end of stream).</description></item>
/// <item><term>RecvMsg</term><description><see cref="ReceivedMessage"/>: bytes, the source's <see cref="EndPoint"/>, the returned message flags.</description></item>
/// <item><term>RecvMultishot</term><description><c>byte[]</c>: a copy of this leg's data (empty at end of stream); also in <see cref="Data"/>.</description></item>
/// <item><term>Poll, PollMultishot</term><description><see cref="PollEvents"/>: the ready events (also in <see cref="Events"/>).</description></item>
/// <item><term>Accept, AcceptMultishot</term><description><see cref="AcceptedSocket"/>: the new descriptor and the peer's <see cref="EndPoint"/>.</description></item>
/// <item><term>Socket</term><description><see cref="int"/>: the new descriptor.</description></item>
/// <item><term>Nop, Connect, Shutdown, Close, Cancel</term><description>null (<see cref="Res"/> is 0 on success; for Cancel, ENOENT or EALREADY say the target had completed or was running).</description></item>
/// </list>
/// A descriptor in a result belongs to the caller: adopt it into a <see cref="System.Net.Sockets.Socket"/>
/// (<see cref="AcceptedSocket.ToSocket"/>, or <c>new Socket(new SafeSocketHandle(fd, true))</c>) or close it
/// with <see cref="Ring.SubmitClose"/>.
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
            or CompletionKind.SendZc or CompletionKind.SendMsgZc or CompletionKind.Socket => Res,
        CompletionKind.RecvMsg or CompletionKind.RecvMultishot or CompletionKind.Accept or CompletionKind.AcceptMultishot => _payload,
        CompletionKind.Poll or CompletionKind.PollMultishot => Events,
        _ => null,
    };

    /// <summary>The ready events of a poll completion (<see cref="PollEvents.None"/> for other kinds and failures).</summary>
    public PollEvents Events => IsSuccess && Kind is CompletionKind.Poll or CompletionKind.PollMultishot ? (PollEvents)Res : PollEvents.None;

    /// <summary>A multishot receive leg's data (a copy, owned by the caller); empty for other kinds.</summary>
    public ReadOnlyMemory<byte> Data => _payload as byte[] ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The peer of an accept, or the source of a received message; null for other kinds.</summary>
    public EndPoint? RemoteEndPoint => _payload switch
    {
        AcceptedSocket accepted => accepted.RemoteEndPoint,
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
