namespace Uring;

/// <summary>
/// One completion delivered by a <see cref="Ring"/>: the caller's <see cref="UserData"/>, the
/// kernel's <see cref="Res"/> and <see cref="Flags"/>, the operation's <see cref="Kind"/>, and the
/// per-operation <see cref="Result"/>.
/// </summary>
/// <remarks>
/// <see cref="Result"/> by <see cref="Kind"/> (null whenever <see cref="Res"/> is an error):
/// <list type="table">
/// <listheader><term>Kind</term><description>Result</description></listheader>
/// <item><term>Recv, Send</term><description><see cref="int"/>: bytes transferred (Recv: 0 means end of stream).</description></item>
/// <item><term>Nop</term><description>null.</description></item>
/// </list>
/// </remarks>
public readonly struct Completion
{
    internal Completion(object? userData, int res, CompletionFlags flags, int sequence, CompletionKind kind)
    {
        UserData = userData;
        Res = res;
        Flags = flags;
        Sequence = sequence;
        Kind = kind;
    }

    /// <summary>The object passed to the submit call — the same instance.</summary>
    public object? UserData { get; }

    /// <summary>The kernel's raw result: a byte count, fd or 0 on success; a negated errno on failure.</summary>
    public int Res { get; }

    /// <summary>The kernel's completion flags.</summary>
    public CompletionFlags Flags { get; }

    /// <summary>The position of this completion within its operation: 0, 1, 2… for multishot legs; always 0 for one-shot operations.</summary>
    public int Sequence { get; }

    /// <summary>The operation this completion belongs to.</summary>
    public CompletionKind Kind { get; }

    /// <summary>True when more completions of the same operation will follow (<see cref="CompletionFlags.More"/>).</summary>
    public bool HasMore => (Flags & CompletionFlags.More) != 0;

    /// <summary>True when <see cref="Res"/> is not an error.</summary>
    public bool IsSuccess => Res >= 0;

    /// <summary>The error when <see cref="Res"/> is negative, otherwise <see cref="Errno.None"/>.</summary>
    public Errno Error => Res < 0 ? (Errno)(-Res) : Errno.None;

    /// <summary>The per-operation result (see the table on <see cref="Completion"/>); null on error.</summary>
    public object? Result => !IsSuccess ? null : Kind switch
    {
        CompletionKind.Recv or CompletionKind.Send => Res,
        _ => null,
    };

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
        $"{Kind} res={(IsSuccess ? Res.ToString(System.Globalization.CultureInfo.InvariantCulture) : Error.ToString())} flags={Flags} seq={Sequence}";
}
