using System.Buffers;
using Uring.Native;

namespace Uring;

/// <summary>
/// Everything one in-flight operation lends the kernel, held from submission to the operation's
/// final completion: the caller's user data, the buffer pin and the descriptor reference. The
/// slot's <see cref="Token"/> is the SQE's <c>user_data</c>: its index in the table and a
/// generation that changes every time the slot is reused, so a late completion can never be
/// delivered to the slot's next owner.
/// </summary>
/// <remarks>
/// Threads: the submitting thread fills a rented slot before the SQE is published; after that only
/// the thread reaping completions touches it, until it returns the slot to the table.
/// </remarks>
internal sealed class OperationSlot
{
    private MemoryHandle _pin;
    private bool _pinned;
    private FileDescriptor _descriptor;
    private bool _descriptorReferenced;

    internal OperationSlot(int index) => Index = index;

    internal int Index { get; }

    internal uint Generation { get; private set; } = 1;

    internal ulong Token => ((ulong)Generation << 32) | (uint)Index;

    internal CompletionKind Kind { get; private set; }

    internal object? UserData { get; private set; }

    /// <summary>True once the SQE carrying this slot's token is in the submission queue: from then on only its final completion may free the slot.</summary>
    internal bool Submitted { get; set; }

    /// <summary>Completions delivered so far; the next one's <see cref="Completion.Sequence"/>.</summary>
    internal int Sequence { get; private set; }

    internal void Begin(CompletionKind kind, object? userData)
    {
        Kind = kind;
        UserData = userData;
    }

    /// <summary>References <paramref name="descriptor"/> until <see cref="Reset"/> and returns its number.</summary>
    internal int Reference(FileDescriptor descriptor, string parameterName)
    {
        var fd = descriptor.AddRef(parameterName);
        _descriptor = descriptor;
        _descriptorReferenced = true;
        return fd;
    }

    /// <summary>Pins <paramref name="memory"/> until <see cref="Reset"/> and returns its address.</summary>
    internal ulong Pin(ReadOnlyMemory<byte> memory)
    {
        _pin = memory.Pin();
        _pinned = true;
        return PinnedAddress.Of(_pin);
    }

    /// <summary>Builds the completion for <paramref name="entry"/> and advances the sequence.</summary>
    internal Completion Complete(in CompletionQueueEntry entry) =>
        new(UserData, entry.Result, entry.Flags, Sequence++, Kind);

    /// <summary>Releases everything the operation held and moves to the next generation.</summary>
    internal void Reset()
    {
        if (_pinned)
        {
            _pin.Dispose();
            _pin = default;
            _pinned = false;
        }

        if (_descriptorReferenced)
        {
            _descriptor.Release();
            _descriptor = default;
            _descriptorReferenced = false;
        }

        UserData = null;
        Submitted = false;
        Sequence = 0;
        Generation = Generation == uint.MaxValue ? 1 : Generation + 1;
    }
}
