using Uring.Native;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Turns a slot's CQE into its completion, by kind, and routes it: to an awaiter (async
    /// operations), to an async stream (async multishot), or back to the reaping caller. Frees the
    /// slot at the operation's final CQE — for zero-copy sends that is the notification, not the
    /// result; for an operation with a deadline, the later of its own and its timeout's CQEs —
    /// except in worker mode, where a multishot operation's worker frees it after the final leg's
    /// callback. Runs on the reaping thread, which owns the slot until then.
    /// </summary>
    private Reaped ReapOperation(OperationSlot slot, in CompletionQueueEntry entry, bool serving, out Completion completion, out OperationSlot? orderedSlot)
    {
        orderedSlot = null;
        if (slot.HasDeadline)
        {
            return ReapDeadlineOperation(slot, entry, out completion);
        }

        switch (slot.Kind)
        {
            case CompletionKind.SendZc or CompletionKind.SendMsgZc:
                return ReapZeroCopy(slot, entry, out completion);
            case CompletionKind.Close or CompletionKind.Shutdown or CompletionKind.Cancel or CompletionKind.PollRemove when slot.UserData is ForgottenOperation forgotten:
                var kind = slot.Kind;
                ReleaseSlot(slot);
                ReportIfFailed(kind, forgotten.Fd, entry.Result);
                completion = default;
                return Reaped.Internal;
            case CompletionKind.SendAll:
                if (ContinueSendAll(slot, entry, out completion))
                {
                    return Reaped.Internal; // a leg: the rest is on its way
                }

                break;
            case CompletionKind.RecvMultishot:
                completion = slot.Complete(entry, CopyReceived(slot, entry));
                break;
            case CompletionKind.RecvMultishotLeased:
                completion = slot.Complete(entry, LeaseReceived(slot, entry));
                break;
            default:
                completion = slot.Complete(entry, entry.Result < 0 ? null : ResultOf(slot, entry.Result));
                break;
        }

        if (UringMetrics.Completed.Enabled)
        {
            UringMetrics.Add(UringMetrics.Completed, slot.Kind, _ringTag);
        }

        var final = !entry.HasMore;
        if (slot.Awaiter is not null || slot.Stream is not null)
        {
            var awaiter = slot.Awaiter;
            var stream = slot.Stream;
            if (final)
            {
                ReleaseSlot(slot);
            }

            awaiter?.Complete(completion);
            stream?.TryWrite(completion);
            return Reaped.Internal;
        }

        if (serving && slot.Kind is CompletionKind.RecvMultishot or CompletionKind.RecvMultishotLeased or CompletionKind.AcceptMultishot or CompletionKind.AcceptDirectMultishot or CompletionKind.PollMultishot)
        {
            orderedSlot = slot;
        }
        else if (final)
        {
            ReleaseSlot(slot);
        }

        return Reaped.Delivered;
    }

    /// <summary>The per-kind payload a successful completion carries, read from the slot's native block.</summary>
    private object? ResultOf(OperationSlot slot, int result) => slot.Kind switch
    {
        CompletionKind.Accept => new AcceptedSocket(result, SocketAddressCodec.Decode(slot.Scratch.Sockaddr[..(int)Math.Min(slot.Scratch.AddressLength, SlotScratch.SockaddrCapacity)])),
        CompletionKind.AcceptMultishot => new AcceptedSocket(result, SocketAddressCodec.Decode(slot.Scratch.Sockaddr[..(int)slot.Scratch.ReadPeerName(result)])),
        CompletionKind.AcceptDirect => new AcceptedRegisteredFile(new RegisteredFile(this, result), SocketAddressCodec.Decode(slot.Scratch.Sockaddr[..(int)Math.Min(slot.Scratch.AddressLength, SlotScratch.SockaddrCapacity)])),
        CompletionKind.AcceptDirectMultishot => new AcceptedRegisteredFile(new RegisteredFile(this, result), null), // a slot has no fd to getpeername
        CompletionKind.RecvMsg => ReceivedMessageOf(slot.Scratch, result),

        // Owned at once, so a completion nobody looks at (dropped by a dispose's drain, say) is closed by the finalizer rather than leaked.
        CompletionKind.OpenAt => new Microsoft.Win32.SafeHandles.SafeFileHandle(result, ownsHandle: true),
        CompletionKind.Statx => slot.Scratch.ReadFileStatus(),
        _ => null,
    };

    private static ReceivedMessage ReceivedMessageOf(SlotScratch scratch, int bytes)
    {
        var (nameLength, flags) = scratch.MessageResult;
        return new ReceivedMessage(bytes, SocketAddressCodec.Decode(scratch.Sockaddr[..(int)Math.Min(nameLength, SlotScratch.SockaddrCapacity)]), (MessageFlags)flags);
    }

    /// <summary>
    /// Copies a multishot leg's data out of the provided buffer the kernel chose and gives that
    /// buffer straight back — also when the CQE is an error that still carries one.
    /// </summary>
    private static byte[]? CopyReceived(OperationSlot slot, in CompletionQueueEntry entry)
    {
        var data = entry.Result < 0 ? null : Array.Empty<byte>();
        if ((entry.Flags & CompletionFlags.Buffer) != 0 && slot.BufferRing is { } buffers)
        {
            if (entry.Result > 0)
            {
                data = buffers.Read(entry.BufferId, entry.Result).ToArray();
            }

            buffers.Recycle(entry.BufferId);
        }

        return data;
    }

    /// <summary>
    /// A zero-copy send posts its result, then (if the result had F_MORE) a notification once the
    /// kernel stopped reading the buffer. The result is delivered without F_MORE — nothing more
    /// follows for the caller — and the notification is consumed here; the slot, and the pin, are
    /// released only when both have arrived, in whichever order. An awaited zero-copy send completes
    /// only then, so the caller may reuse the buffer as soon as the await returns.
    /// </summary>
    private Reaped ReapZeroCopy(OperationSlot slot, in CompletionQueueEntry entry, out Completion completion)
    {
        var outcome = Reaped.Internal;
        completion = default;
        if ((entry.Flags & CompletionFlags.Notification) != 0)
        {
            slot.NotificationSeen = true;
        }
        else
        {
            slot.ResultSeen = true;
            slot.NotificationExpected = entry.HasMore;
            slot.Result = slot.Complete(entry, hiddenFlags: CompletionFlags.More);
            if (slot.Awaiter is null)
            {
                completion = slot.Result;
                outcome = Reaped.Delivered;
            }
        }

        if (slot.ResultSeen && (!slot.NotificationExpected || slot.NotificationSeen))
        {
            var awaiter = slot.Awaiter;
            var result = slot.Result;
            ReleaseSlot(slot);
            awaiter?.Complete(result);
        }

        return outcome;
    }
}
