using System.Buffers;
using Uring.Native;

namespace Uring;

/// <summary>
/// Everything one in-flight operation lends the kernel, held from submission to the operation's
/// final completion: the caller's user data, the buffer pins, the descriptor reference, the native
/// sockaddr/msghdr/iovec block and, for multishot receive, the provided-buffer ring. The slot's
/// <see cref="Token"/> is the SQE's <c>user_data</c>: its index in the table and a generation that
/// changes every time the slot is reused, so a late completion can never be delivered to the
/// slot's next owner.
/// </summary>
/// <remarks>
/// Threads: the submitting thread fills a rented slot before the SQE is published; after that only
/// the thread reaping completions touches it, until it returns the slot to the table.
/// </remarks>
internal sealed class OperationSlot
{
    private MemoryHandle[] _pins = new MemoryHandle[1];
    private int _pinCount;
    private FileDescriptor _descriptor;
    private bool _descriptorReferenced;
    private SlotScratch? _scratch;

    private readonly Ring _ring;

    internal OperationSlot(int index, Ring ring)
    {
        Index = index;
        _ring = ring;
    }

    internal int Index { get; }

    internal uint Generation { get; private set; } = 1;

    internal ulong Token => ((ulong)Generation << 32) | (uint)Index;

    internal CompletionKind Kind { get; private set; }

    internal object? UserData { get; private set; }

    /// <summary>True once the SQE carrying this slot's token is in the submission queue: from then on only its final completion may free the slot.</summary>
    internal bool Submitted { get; set; }

    /// <summary>Per-SQE flags the operation's arguments call for: <see cref="SqeFlags.FixedFile"/> when its descriptor is a registered file.</summary>
    internal SqeFlags SqeFlags { get; private set; }

    /// <summary>Buffers pinned for the current operation.</summary>
    internal int PinCount => _pinCount;

    /// <summary>Completions delivered so far; the next one's <see cref="Completion.Sequence"/>.</summary>
    internal int Sequence { get; private set; }

    /// <summary>The first leg's <see cref="Sequence"/> (0 unless the submitter gave a <c>baseSequence</c>).</summary>
    internal int BaseSequence { get; private set; }

    /// <summary>The multishot receive's provided buffers, detached by the ring when the operation ends.</summary>
    internal ProvidedBufferRing? BufferRing { get; set; }

    /// <summary>The shared pool a multishot receive takes its buffers from (then <see cref="BufferRing"/> is the pool's); detached by the ring when the operation ends.</summary>
    internal ReceiveBufferPool? Pool { get; set; }

    /// <summary>Zero-copy send, or an operation with a deadline: the operation's own completion has arrived.</summary>
    internal bool ResultSeen { get; set; }

    /// <summary>Zero-copy send: the result completion announced a notification (it had F_MORE).</summary>
    internal bool NotificationExpected { get; set; }

    /// <summary>Zero-copy send: the notification arrived.</summary>
    internal bool NotificationSeen { get; set; }

    /// <summary>Zero-copy send, or an operation with a deadline: the operation's completion, kept until the notification (or the timeout's CQE) frees the slot.</summary>
    internal Completion Result { get; set; }

    /// <summary>The operation has a deadline: its SQE is linked to a LINK_TIMEOUT tagged with this slot (see <see cref="Ring.SubmitRecv(FileDescriptor, Memory{byte}, TimeSpan, object, MessageFlags)"/>).</summary>
    internal bool HasDeadline => DeadlineTimespec != 0;

    /// <summary>Deadline: the address of its timespec in the slot's native block (0: no deadline).</summary>
    internal ulong DeadlineTimespec { get; private set; }

    /// <summary>Deadline: the linked timeout's completion arrived.</summary>
    internal bool DeadlineSeen { get; set; }

    /// <summary>Deadline: the linked timeout's result (ETIME when it fired, ECANCELED when the operation finished first).</summary>
    internal int DeadlineResult { get; set; }

    /// <summary>The awaiter of an async operation; the completion goes to it instead of the reaping caller.</summary>
    internal OperationCompletionSource? Awaiter { get; set; }

    /// <summary>The async stream of an async multishot operation; its legs go there.</summary>
    internal System.Threading.Channels.ChannelWriter<Completion>? Stream { get; set; }

    /// <summary>Send-all: the buffer's length.</summary>
    internal int SendAllLength;

    /// <summary>Send-all: the bytes the legs so far sent.</summary>
    internal int SendAllSent;

    /// <summary>The generation a cancel was asked for (a send-all checks it between legs, an operation held behind one when it is let go); 0: none.</summary>
    private uint _cancelledGeneration;

    /// <summary>A cancel was asked for this operation (not a previous one of the slot).</summary>
    internal bool CancelRequested => Volatile.Read(ref _cancelledGeneration) == Generation;

    /// <summary>Records that the operation of generation <paramref name="generation"/> was asked to cancel.</summary>
    internal void RequestCancel(uint generation) => Volatile.Write(ref _cancelledGeneration, generation);

    /// <summary>Worker mode: how many of this multishot operation's legs have had their callbacks return.</summary>
    internal int LegsDelivered;

    /// <summary>
    /// An SQE built ahead of its submission: on a caller's thread for the completion thread to submit
    /// (see <see cref="Ring.StartCompletionThread"/>), for an operation held behind a send-all on its
    /// descriptor, and a send-all's first leg, from which the next legs are made.
    /// </summary>
    internal SubmissionQueueEntry BuiltEntry;

    /// <summary>The slot's native sockaddr/msghdr/iovec block, created on first use and kept for the ring's lifetime.</summary>
    internal SlotScratch Scratch => _scratch ??= new SlotScratch();

    internal void Begin(CompletionKind kind, object? userData)
    {
        Kind = kind;
        UserData = userData;
    }

    /// <summary>
    /// Gives the operation a deadline <paramref name="timeout"/> after its submission. One-shot
    /// operations only: a multishot request would lose all its legs to one timeout, and a zero-copy
    /// send keeps its notification state in <see cref="ResultSeen"/> and <see cref="Result"/>, which the
    /// deadline bookkeeping uses too.
    /// </summary>
    internal void ArmDeadline(TimeSpan timeout)
    {
        System.Diagnostics.Debug.Assert(
            Kind is not (CompletionKind.SendZc or CompletionKind.SendMsgZc or CompletionKind.RecvMultishot or CompletionKind.RecvMultishotLeased
                or CompletionKind.AcceptMultishot or CompletionKind.AcceptDirectMultishot or CompletionKind.PollMultishot),
            $"{Kind} cannot take a deadline");
        DeadlineTimespec = Scratch.PrepareDeadline(timeout);
    }

    /// <summary>
    /// References <paramref name="descriptor"/> until <see cref="Reset"/> and returns its number. A
    /// registered file needs no reference (the table holds the file): its ring is checked and its
    /// slot returned, and the SQE will carry <see cref="SqeFlags.FixedFile"/>.
    /// </summary>
    internal int Reference(FileDescriptor descriptor, string parameterName)
    {
        if (descriptor.IsRegistered)
        {
            var index = _ring.RequireOwnFile(descriptor.AsRegistered, parameterName);
            SqeFlags = SqeFlags.FixedFile;
            return index;
        }

        var fd = descriptor.AddRef(parameterName);
        _descriptor = descriptor;
        _descriptorReferenced = true;
        return fd;
    }

    /// <summary>Pins <paramref name="memory"/> until <see cref="Reset"/> and returns its address.</summary>
    internal ulong Pin(ReadOnlyMemory<byte> memory)
    {
        if (_pinCount == _pins.Length)
        {
            Array.Resize(ref _pins, Math.Min(_pins.Length * 2, SlotScratch.MaxSegments));
        }

        var pin = memory.Pin();
        _pins[_pinCount++] = pin;
        return PinnedAddress.Of(pin);
    }

    /// <summary>Numbers this operation's legs from <paramref name="baseSequence"/>, so a re-armed stream continues its numbering.</summary>
    internal void StartSequenceAt(int baseSequence) => Sequence = BaseSequence = baseSequence;

    /// <summary>Builds the completion for <paramref name="entry"/> and advances the sequence.</summary>
    internal Completion Complete(in CompletionQueueEntry entry, object? payload = null, CompletionFlags hiddenFlags = CompletionFlags.None) =>
        new(UserData, entry.Result, entry.Flags & ~hiddenFlags, Sequence++, Kind, payload);

    /// <summary>Releases the pins and the descriptor reference and moves to the next generation. The ring detaches <see cref="BufferRing"/> first.</summary>
    internal void Reset()
    {
        for (var i = 0; i < _pinCount; i++)
        {
            _pins[i].Dispose();
            _pins[i] = default;
        }

        _pinCount = 0;
        ReleaseDescriptor();

        UserData = null;
        SqeFlags = SqeFlags.None;
        Submitted = false;
        Sequence = BaseSequence = 0;
        ResultSeen = NotificationExpected = NotificationSeen = false;
        DeadlineTimespec = 0;
        DeadlineSeen = false;
        DeadlineResult = 0;
        Result = default;
        Awaiter = null;
        Stream = null;
        LegsDelivered = 0;
        SendAllLength = SendAllSent = 0;
        Generation = Generation == uint.MaxValue ? 1 : Generation + 1;
    }

    /// <summary>
    /// Returns the descriptor reference alone. Safe while the operation is still in the kernel once its
    /// SQE was consumed: the kernel holds its own reference to the file, not to the fd number. Used
    /// for operations leaked by a failed drain, so that closing their socket does not wait forever.
    /// </summary>
    internal void ReleaseDescriptor()
    {
        if (_descriptorReferenced)
        {
            _descriptor.Release();
            _descriptor = default;
            _descriptorReferenced = false;
        }
    }

    /// <summary>Frees the native block; only once no operation of this slot can be in the kernel.</summary>
    internal void FreeScratch()
    {
        _scratch?.Dispose();
        _scratch = null;
    }
}
