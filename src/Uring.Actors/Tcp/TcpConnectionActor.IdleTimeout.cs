using Akka.Actor;
using Uring.Actors.Protocol;

namespace Uring.Actors.Tcp;

/// <summary>
/// The idle timeout (<c>uring.tcp.idle-timeout</c>): a connection that received and sent nothing for
/// that long is closed and its handler told <see cref="Akka.IO.Tcp.ErrorClosed"/>. The clock is a
/// timer in the ring (<c>IORING_OP_TIMEOUT</c>), not a scheduler message per byte: traffic only
/// records a timestamp, and when the timer fires the connection either closes or arms the timer
/// again for the time left.
/// </summary>
internal partial class TcpConnectionActor
{
    private readonly ConnectionActivity _activity;
    private int _idleTimerGeneration;
    private OperationHandle? _idleTimer;

    private bool HasIdleTimeout => _settings.IdleTimeout != Timeout.InfiniteTimeSpan;

    private void StartIdleTimer()
    {
        if (HasIdleTimeout)
        {
            NoteActivity();
            ArmIdleTimer(_settings.IdleTimeout);
        }
    }

    private void NoteActivity() => _activity.Note();

    private void ArmIdleTimer(TimeSpan after)
    {
        _idleTimer = null;
        _ring.Owner.Tell(new RingProtocol.Submit(
            (ring, userData) => ring.SubmitTimeout(after, userData),
            new IdleTimerTag(++_idleTimerGeneration),
            AcknowledgeWith: true));
    }

    /// <summary>Takes the idle timer's messages; false for any other.</summary>
    private bool ReceiveIdleTimer(object message)
    {
        switch (message)
        {
            case RingProtocol.Submitted { Tag: IdleTimerTag tag } submitted when tag.Generation == _idleTimerGeneration:
                _idleTimer = submitted.Handle;
                return true;
            case RingProtocol.Completed { Tag: IdleTimerTag } completed:
                OnIdleTimerFired(completed);
                return true;
            default:
                return false;
        }
    }

    private void OnIdleTimerFired(RingProtocol.Completed completed)
    {
        _idleTimer = null;
        if (completed.Completion.Error != Errno.ETIME || _closing is not null)
        {
            return; // cancelled because the connection stops, or already closing
        }

        var idle = _activity.Idle;
        if (idle >= _settings.IdleTimeout)
        {
            CloseWithError($"idle timeout: nothing received or sent for {idle.TotalSeconds:0.###} s (uring.tcp.idle-timeout = {_settings.IdleTimeout})");
        }
        else
        {
            ArmIdleTimer(_settings.IdleTimeout - idle);
        }
    }

    private void StopIdleTimer()
    {
        if (_idleTimer is { } timer)
        {
            _ring.Owner.Tell(new RingProtocol.Cancel(timer));
        }
    }

    private sealed record IdleTimerTag(int Generation);
}
