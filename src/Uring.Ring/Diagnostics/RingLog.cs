using Microsoft.Extensions.Logging;

namespace Uring;

/// <summary>The ring's log messages, source-generated (no formatting work unless the level is enabled).</summary>
internal static partial class RingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "Ring {Fd}: {Count} operations did not complete within {DrainTimeout} after cancellation; their buffers stay pinned and are leaked rather than freed under the kernel")]
    internal static partial void DrainTimedOut(ILogger logger, int fd, int count, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Ring {Fd}: cancelling in-flight operations at dispose failed")]
    internal static partial void CancelAtDisposeFailed(ILogger logger, Exception exception, int fd);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "Ring {Fd}: unregistering provided-buffer group {GroupId} failed with {Errno}; its memory is leaked rather than freed while the kernel may use it")]
    internal static partial void BufferRingLeaked(ILogger logger, int fd, ushort groupId, Errno errno);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "Ring {Fd}: a completion callback for {Kind} threw; the serving workers stop")]
    internal static partial void CallbackFailed(ILogger logger, Exception exception, int fd, CompletionKind kind);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Ring {Fd}: a {Kind} completion (res {Res}) was served with no Callback set; set Ring.Callback before serving")]
    internal static partial void CompletionWithoutCallback(ILogger logger, int fd, CompletionKind kind, int res);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning,
        Message = "Ring {Fd}: a fire-and-forget {Kind} on descriptor {TargetFd} failed with {Errno}; set Ring.FireAndForgetFailed to handle these")]
    internal static partial void FireAndForgetFailed(ILogger logger, int fd, CompletionKind kind, int targetFd, Errno errno);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error,
        Message = "Ring {Fd}: the FireAndForgetFailed handler threw for a {Kind} on descriptor {TargetFd} that failed with {Errno}")]
    internal static partial void FireAndForgetHandlerFailed(ILogger logger, Exception exception, int fd, CompletionKind kind, int targetFd, Errno errno);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information,
        Message = "Ring {Fd}: every operation slot was taken, so the completion queue grew from {PreviousEntries} to {Entries} entries, and the in-flight limit with it (growth stops at {Cap})")]
    internal static partial void CompletionQueueGrew(ILogger logger, int fd, int previousEntries, int entries, int cap);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning,
        Message = "Ring {Fd}: growing the completion queue past {Entries} entries failed; the ring keeps that size and in-flight limit")]
    internal static partial void GrowthFailed(ILogger logger, Exception exception, int fd, int entries);

    [LoggerMessage(EventId = 17, Level = LogLevel.Error,
        Message = "Ring {Fd}: the CompletionQueueGrew handler threw after growth to {Entries} entries")]
    internal static partial void GrowthHandlerFailed(ILogger logger, Exception exception, int fd, int entries);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "Ring {Fd}: a ReceivedLease (buffer group {GroupId}, buffer {BufferId}) was never disposed; its finalizer gave the buffer back late. Dispose every lease a leased receive hands out")]
    internal static partial void LeaseLeaked(ILogger logger, int fd, ushort groupId, ushort bufferId);
}
