using System.Runtime.InteropServices;

namespace Uring.Native;

/// <summary>
/// <c>struct io_uring_sqe</c> (64 bytes), the kernel's view of one operation. The unions of the C
/// definition are overlapping fields here; each operation's <c>Prepare</c> writes only the fields
/// its opcode reads into an entry that was zeroed when it was taken from the queue.
/// </summary>
/// <remarks>Part of the low-level API: an <see cref="Ops.IRingOperation"/> fills one of these.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct SubmissionQueueEntry
{
    /// <summary><c>opcode</c>: the <see cref="RingOpcode"/>.</summary>
    [FieldOffset(0)] public byte Opcode;

    /// <summary><c>flags</c>: <see cref="SqeFlags"/>.</summary>
    [FieldOffset(1)] public byte Flags;

    /// <summary><c>ioprio</c>: I/O priority, or per-opcode flags (multishot accept/recv, send/recv poll-first, zero-copy flags).</summary>
    [FieldOffset(2)] public ushort IoPriority;

    /// <summary><c>fd</c>: the file descriptor (or registered-file index with <see cref="SqeFlags.FixedFile"/>).</summary>
    [FieldOffset(4)] public int Fd;

    /// <summary><c>off</c> / <c>addr2</c>: file offset, or a second address (accept's addrlen, sendto's address).</summary>
    [FieldOffset(8)] public ulong Offset;

    /// <summary><c>addr</c>: the buffer, msghdr, sockaddr or other pointer the opcode reads.</summary>
    [FieldOffset(16)] public ulong Address;

    /// <summary><c>len</c>: buffer length, iovec count, or an opcode-specific count.</summary>
    [FieldOffset(24)] public uint Length;

    /// <summary>The opcode-specific flags word (<c>rw_flags</c>, <c>msg_flags</c>, <c>poll32_events</c>, <c>accept_flags</c>, <c>cancel_flags</c>, <c>timeout_flags</c>…).</summary>
    [FieldOffset(28)] public uint OpFlags;

    /// <summary><c>user_data</c>: returned unchanged in the operation's completion(s).</summary>
    [FieldOffset(32)] public ulong UserData;

    /// <summary><c>buf_index</c> / <c>buf_group</c>: fixed-buffer index, or provided-buffer group id with <see cref="SqeFlags.BufferSelect"/>.</summary>
    [FieldOffset(40)] public ushort BufferIndex;

    /// <summary><c>personality</c>: registered credentials id.</summary>
    [FieldOffset(42)] public ushort Personality;

    /// <summary><c>splice_fd_in</c> / <c>file_index</c> / <c>addr_len</c>.</summary>
    [FieldOffset(44)] public uint SpliceFdIn;

    /// <summary><c>addr3</c> / <c>optval</c>.</summary>
    [FieldOffset(48)] public ulong Address3;

    /// <summary><c>__pad2[0]</c>; zero.</summary>
    [FieldOffset(56)] public ulong Reserved;
}
