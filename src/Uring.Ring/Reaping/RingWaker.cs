using Uring.Native;
using Uring.Ops;

namespace Uring;

/// <summary>
/// Wakes whoever waits on a ring, from any thread, without submitting to that ring: a tiny private
/// ring posts a completion into it with <c>IORING_OP_MSG_RING</c> (5.18). The MSG_RING request
/// completes inside the waking thread's <c>io_uring_enter</c>, so — unlike an armed poll — nothing
/// stays pending on behalf of a thread that may exit (the kernel cancels a thread's pending requests
/// when it does). This keeps <see cref="Ring.BreakWait"/> working under SingleIssuer, with a full SQ,
/// and after the ring's creating thread is gone. Each wake posts one completion.
/// </summary>
internal sealed class RingWaker : IDisposable
{
    private readonly RawRing _waker = new(new RingOptions { Entries = 2 });
    private readonly Lock _lock = new();
    private readonly int _targetFd;
    private readonly ulong _wakeToken;
    private bool _disposed;

    internal RingWaker(int targetFd, ulong wakeToken)
    {
        _targetFd = targetFd;
        _wakeToken = wakeToken;
    }

    /// <summary>Posts one wake completion into the target ring.</summary>
    /// <exception cref="UringException">The kernel refused the message (the message says why).</exception>
    internal void Wake()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Success posts no completion here (CQE_SKIP_SUCCESS); a failure does, and is reaped at once.
            _waker.TryPrepare(new MsgRingOperation(_targetFd, 0, _wakeToken), 0, SqeFlags.CqeSkipSuccess);
            _waker.Submit();
            if (_waker.TryPeekCompletion(out var failure))
            {
                _waker.AdvanceCompletions(1);
                throw new UringException("IORING_OP_MSG_RING", (Errno)(-failure.Result), "The ring could not be woken.");
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _waker.Dispose();
        }
    }
}
