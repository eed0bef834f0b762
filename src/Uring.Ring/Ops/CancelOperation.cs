using Uring.Native;

namespace Uring.Ops;

/// <summary>
/// IORING_OP_ASYNC_CANCEL: cancels the request whose user data is <paramref name="TargetUserData"/>
/// or, with <paramref name="All"/>, every request in the ring (5.19). Its own result is 0 or the
/// number cancelled, or ENOENT / EALREADY; the cancelled request still posts its own completion.
/// </summary>
/// <param name="TargetUserData">The user data of the request to cancel (ignored with <paramref name="All"/>).</param>
/// <param name="All">Cancel every request (<c>IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL</c>).</param>
public readonly record struct CancelOperation(ulong TargetUserData, bool All = false) : IRingOperation
{
    /// <inheritdoc />
    public static RingOpcode Opcode => RingOpcode.AsyncCancel;

    /// <inheritdoc />
    public void Prepare(ref SubmissionQueueEntry entry)
    {
        entry.Fd = -1;
        if (All)
        {
            entry.OpFlags = KernelConstants.AsyncCancelAny | KernelConstants.AsyncCancelAll;
        }
        else
        {
            entry.Address = TargetUserData;
        }
    }
}
