using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_MSG_RING (5.18): posts a completion with <paramref name="UserData"/> and
/// <paramref name="Result"/> into another ring, identified by its fd. The sending ring gets its own
/// completion too (0, or an error such as EOVERFLOW).
/// </summary>
/// <param name="TargetRingFd">The receiving ring's descriptor.</param>
/// <param name="Result">The <c>res</c> of the posted completion.</param>
/// <param name="UserData">The <c>user_data</c> of the posted completion.</param>
public readonly record struct MsgRingOperation(int TargetRingFd, int Result, ulong UserData) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.MsgRing;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = TargetRingFd;
        entry.Address = KernelConstants.MsgRingData;
        entry.Length = (uint)Result;
        entry.Offset = UserData;
    }
}
