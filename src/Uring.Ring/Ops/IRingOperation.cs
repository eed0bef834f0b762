using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// An io_uring operation as data: its opcode and how to fill a zeroed SQE. Implement it on a
/// <c>readonly struct</c> and pass it to <see cref="RawRing.TryPrepare{TOp}"/>; the generic call is
/// specialised per struct, so the JIT inlines <see cref="Prepare"/> without boxing.
/// </summary>
/// <remarks>
/// <see cref="Prepare"/> writes only the fields its opcode reads; the ring writes the opcode, the
/// per-SQE flags and the user data. Every pointer an operation carries must stay valid until the
/// operation's final completion: that is the caller's contract at this level.
/// </remarks>
public interface IRingOperation
{
    /// <summary>The operation's opcode.</summary>
    static abstract RingOpcode Opcode { get; }

    /// <summary>Writes the operation's fields into a zeroed SQE.</summary>
    void Prepare(ref SubmissionQueueEntry entry);
}
