using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary><c>struct io_uring_cqe</c> (16 bytes): one completion as the kernel posts it.</summary>
/// <remarks>Part of the low-level API: <see cref="RawRing.ReapCompletions"/> copies these into a caller's span.</remarks>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public readonly struct CompletionQueueEntry
{
    /// <summary>Creates an entry (for tests and for callers that build synthetic completions).</summary>
    public CompletionQueueEntry(ulong userData, int result, CompletionFlags flags)
    {
        UserData = userData;
        Result = result;
        Flags = flags;
    }

    /// <summary><c>user_data</c>: the value the operation's SQE carried.</summary>
    public ulong UserData { get; }

    /// <summary><c>res</c>: the operation's result, or a negated <see cref="Errno"/>.</summary>
    public int Result { get; }

    /// <summary><c>flags</c>: <see cref="CompletionFlags"/>, with the provided-buffer id in the upper 16 bits.</summary>
    public CompletionFlags Flags { get; }

    /// <summary>True when the kernel will post more completions for the same request (<c>IORING_CQE_F_MORE</c>).</summary>
    public bool HasMore => (Flags & CompletionFlags.More) != 0;

    /// <summary>The provided-buffer id, valid when <see cref="CompletionFlags.Buffer"/> is set.</summary>
    public ushort BufferId => (ushort)((uint)Flags >> 16);
}
