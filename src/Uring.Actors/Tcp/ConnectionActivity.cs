namespace Uring.Actors.Tcp;

/// <summary>
/// When a connection last received or sent a byte, for its idle timeout (<c>uring.tcp.idle-timeout</c>);
/// written by the ring loop and the connection actor. Without an idle timeout nothing reads it, so
/// noting costs nothing. With one, the clock is <see cref="Environment.TickCount64"/>: a coarse
/// millisecond clock, cheap enough to read at every send and receive. A precise timestamp there cost
/// ~0.2 µs per request at 1024 connections (docs/performance-log.md, item 16).
/// </summary>
/// <param name="tracked">Whether anything reads <see cref="Idle"/>: the connection has an idle timeout.</param>
internal sealed class ConnectionActivity(bool tracked)
{
    private long _last = Environment.TickCount64;

    /// <summary>How long ago the last byte moved (to the clock's few milliseconds).</summary>
    internal TimeSpan Idle => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _last));

    /// <summary>A byte moved now.</summary>
    internal void Note()
    {
        if (tracked)
        {
            Volatile.Write(ref _last, Environment.TickCount64);
        }
    }
}
