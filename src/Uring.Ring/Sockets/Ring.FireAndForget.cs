using System.Net.Sockets;
using Uring.Ops;

namespace Uring;

/// <summary>
/// Fire-and-forget operations: a close, shutdown, cancel or poll-remove whose result nobody wants.
/// They take no in-flight slot and post nothing for the caller. Where the kernel has
/// <see cref="RingFeatures.CqeSkip"/> (5.17) their SQEs carry <c>IOSQE_CQE_SKIP_SUCCESS</c>, so a
/// success posts no CQE at all; on older kernels the success arrives and is dropped inside the ring.
/// A failure is never lost: it goes to <see cref="FireAndForgetFailed"/> with the operation's kind,
/// descriptor and errno, or is logged as a warning when no handler is set.
/// </summary>
/// <remarks>
/// <para>A cancel or poll-remove that found nothing to stop (<see cref="Errno.ENOENT"/>, the target had
/// completed) or found it already running (<see cref="Errno.EALREADY"/>) did what was asked: those
/// are not failures and are dropped.</para>
/// <para><b>Descriptor lifetime.</b> The kernel looks a descriptor up when it takes the SQE. A shutdown
/// of a socket owned by a <see cref="System.Runtime.InteropServices.SafeHandle"/> holds the handle
/// until then: it is handed to the kernel at once (whatever <see cref="AutoSubmit"/> says) and the
/// handle is let go as soon as the kernel has taken the SQE. On an SQPOLL ring the kernel's thread
/// takes SQEs on its own time, so there such a shutdown, and a close or shutdown that has to wait
/// behind a send-all on its descriptor, keeps an in-flight slot until its completion, which the
/// ring still drops on success.</para>
/// </remarks>
public sealed partial class Ring
{
    /// <summary>
    /// Set in the <c>user_data</c> of a slot-less fire-and-forget SQE; bits 20–27 hold its
    /// <see cref="CompletionKind"/> and the high word its descriptor. Slot indexes stay below 2^20,
    /// so no slot token or linked timeout has it.
    /// </summary>
    private const ulong ForgottenTag = 1UL << 30;

    private const int ForgottenKindShift = 20;

    /// <summary>Descriptor references held for slot-less shutdowns the kernel has not taken yet. Under the submit lock.</summary>
    private readonly List<FileDescriptor> _releaseWhenTaken = [];

    /// <summary>
    /// Called, on the reaping thread, for each fire-and-forget operation that failed. Unset, each
    /// failure is logged as a warning; a handler that throws is logged as an error and the ring goes on.
    /// </summary>
    public Action<FireAndForgetFailure>? FireAndForgetFailed { get; set; }

    /// <summary>Closes raw descriptor <paramref name="fd"/> as <see cref="SubmitClose(int, object?)"/> does, with no completion for the caller (see the remarks on fire-and-forget operations).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The submission queue stayed full after a flush.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public void SubmitCloseAndForget(int fd)
    {
        RequireRawFd(fd);
        if (_heldBehindSendAll.Count != 0)
        {
            Submit(CompletionKind.Close, new ForgottenOperation(fd), fd, PrepareClose); // it may have to wait behind a send-all
            return;
        }

        Forget(CompletionKind.Close, fd, new CloseOperation(fd));
    }

    /// <summary>Shuts down a direction of socket <paramref name="fd"/> as <see cref="SubmitShutdown"/> does, with no completion for the caller (see the remarks on fire-and-forget operations).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="how"/> is not a <see cref="SocketShutdown"/> value, or <paramref name="fd"/> is a negative raw fd.</exception>
    /// <exception cref="ObjectDisposedException">The ring, or the socket behind <paramref name="fd"/>, is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The submission queue stayed full after a flush.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public void SubmitShutdownAndForget(FileDescriptor fd, SocketShutdown how)
    {
        RequireShutdown(how);
        var sqPoll = (Flags & RingSetupFlags.SqPoll) != 0;
        if (_heldBehindSendAll.Count != 0 || (sqPoll && fd.Handle is not null))
        {
            var target = fd.IsRegistered ? fd.AsRegistered.Index : fd.Value;
            Submit(CompletionKind.Shutdown, new ForgottenOperation(target), (fd, how), PrepareShutdown);
            return;
        }

        if (fd.IsRegistered)
        {
            var index = RequireOwnFile(fd.AsRegistered, nameof(fd));
            Forget(CompletionKind.Shutdown, index, new ShutdownOperation(index, how), Native.SqeFlags.FixedFile);
            return;
        }

        var number = fd.AddRef(nameof(fd));
        try
        {
            Forget(CompletionKind.Shutdown, number, new ShutdownOperation(number, how), referenced: fd.Handle is null ? null : (FileDescriptor?)fd);
        }
        catch
        {
            fd.Release(); // nothing reached the kernel
            throw;
        }
    }

    /// <summary>Cancels <paramref name="operation"/> as <see cref="SubmitCancel"/> does, with no completion for the cancel itself; the cancelled operation still posts its own (see the remarks on fire-and-forget operations).</summary>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is default or belongs to another ring.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The submission queue stayed full after a flush.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public void SubmitCancelAndForget(OperationHandle operation)
    {
        RequireOwnHandle(operation);
        NoteCancel(operation.Token);
        Forget(CompletionKind.Cancel, -1, new CancelOperation(operation.Token));
    }

    /// <summary>Removes poll <paramref name="poll"/> as <see cref="SubmitPollRemove"/> does, with no completion for the removal itself; the poll still posts its final one (see the remarks on fire-and-forget operations).</summary>
    /// <exception cref="ArgumentException"><paramref name="poll"/> is default, belongs to another ring, or is not a poll.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="SubmissionQueueFullException">The submission queue stayed full after a flush.</exception>
    /// <exception cref="InvalidOperationException">A SingleIssuer ring called from a thread that is not its submitter.</exception>
    public void SubmitPollRemoveAndForget(OperationHandle poll)
    {
        RequirePoll(poll);
        Forget(CompletionKind.PollRemove, -1, new PollRemoveOperation(poll.Token));
    }

    /// <summary>The user data of a slot-backed fire-and-forget operation: its completion is dropped, or reported as a failure, inside the ring.</summary>
    private sealed record ForgottenOperation(int Fd);

    /// <summary>Queues a slot-less SQE whose <c>user_data</c> says what it is; with <paramref name="referenced"/>, hands it over now and lets the reference go once the kernel took it.</summary>
    private void Forget<TOp>(CompletionKind kind, int fd, in TOp operation, Native.SqeFlags flags = Native.SqeFlags.None, FileDescriptor? referenced = null)
        where TOp : struct, IRingOperation
    {
        if ((Features & RingFeatures.CqeSkip) != 0)
        {
            flags |= Native.SqeFlags.CqeSkipSuccess;
        }

        var token = ((ulong)(uint)fd << 32) | ForgottenTag | ((ulong)kind << ForgottenKindShift);
        lock (_submitLock)
        {
            ThrowIfClosed();
            ThrowIfNotSubmitter();
            if (HasDeferredWork)
            {
                DrainDeferredWork();
            }

            if (!_raw.TryPrepare(operation, token, flags))
            {
                _raw.Submit();
                if (!_raw.TryPrepare(operation, token, flags))
                {
                    throw new SubmissionQueueFullException(
                        $"The submission queue's {_raw.SqEntries} entries are still taken after flushing them to the kernel; reap completions and retry.");
                }
            }

            if (referenced is { } descriptor)
            {
                _releaseWhenTaken.Add(descriptor);
            }

            if (_autoSubmit || referenced is not null)
            {
                _raw.Submit();
                ReleaseDescriptorsTaken();
            }
        }
    }

    /// <summary>Under the submit lock: once the kernel has taken every SQE, it holds its own reference to each file, and the shutdowns' handle references can go.</summary>
    private void ReleaseDescriptorsTaken()
    {
        if (_releaseWhenTaken.Count == 0 || (_raw.PendingSubmissions != 0 && !_raw.IsDisposed))
        {
            return;
        }

        foreach (var descriptor in _releaseWhenTaken)
        {
            descriptor.Release();
        }

        _releaseWhenTaken.Clear();
    }

    /// <summary>A slot-less fire-and-forget CQE: a success (on kernels without CQE_SKIP) is dropped, a failure reported.</summary>
    private void ReapForgotten(in Native.CompletionQueueEntry entry) =>
        ReportIfFailed((CompletionKind)((entry.UserData >> ForgottenKindShift) & 0xFF), (int)(entry.UserData >> 32), entry.Result);

    /// <summary>Hands a fire-and-forget failure to <see cref="FireAndForgetFailed"/>, or logs it.</summary>
    private void ReportIfFailed(CompletionKind kind, int fd, int result)
    {
        if (result >= 0 || (kind is CompletionKind.Cancel or CompletionKind.PollRemove && (Errno)(-result) is Errno.ENOENT or Errno.EALREADY))
        {
            return;
        }

        var failure = new FireAndForgetFailure(kind, fd, (Errno)(-result));
        if (FireAndForgetFailed is not { } handler)
        {
            RingLog.FireAndForgetFailed(_logger, _raw.Fd, kind, fd, failure.Error);
            return;
        }

        try
        {
            handler(failure);
        }
        catch (Exception e)
        {
            RingLog.FireAndForgetHandlerFailed(_logger, e, _raw.Fd, kind, fd, failure.Error);
        }
    }
}
