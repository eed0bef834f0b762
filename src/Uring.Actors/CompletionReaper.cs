using Akka.Actor;
using Uring.Actors.Protocol;

namespace Uring.Actors;

/// <summary>
/// The reaper: a dedicated thread (not an actor) that blocks in the ring's completion wait and
/// <c>Tell</c>s each completion to the actor its submission named. It never submits — the owner
/// alone does (SINGLE_ISSUER) — so it can stop without a foreign submission: <see cref="Stop"/>
/// wakes it with <see cref="Ring.BreakWait"/>, which posts into the ring through a private one.
/// When the owner is waiting for room (backpressure), the reaper tells it <see cref="Progress"/>
/// once completions have freed some.
/// </summary>
internal sealed class CompletionReaper
{
    private readonly Ring _ring;
    private readonly IActorRef _owner;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _progressWanted;

    internal CompletionReaper(Ring ring, IActorRef owner)
    {
        _ring = ring;
        _owner = owner;
        _thread = new Thread(Run) { IsBackground = true, Name = $"uring-reaper-{ring.Fd}" };
        _thread.Start();
    }

    /// <summary>Tell the owner <see cref="Progress"/> after the next completion.</summary>
    internal void NotifyProgress() => Volatile.Write(ref _progressWanted, 1);

    /// <summary>Stops the thread and waits for it; nothing is submitted to do so.</summary>
    internal void Stop()
    {
        _stopping = true;
        _ring.BreakWait();
        _thread.Join();
    }

    private void Run()
    {
        while (!_stopping)
        {
            if (_ring.Wait() is not { } completion)
            {
                continue; // a wake-up: look at the stop flag
            }

            if (completion.UserData is Delivery delivery)
            {
                delivery.Recipient.Tell(new RingProtocol.Completed(delivery.Tag, completion), ActorRefs.NoSender);
            }

            if (Interlocked.Exchange(ref _progressWanted, 0) == 1)
            {
                _owner.Tell(Progress.Instance, ActorRefs.NoSender);
            }
        }
    }

    /// <summary>Where one operation's completions go.</summary>
    internal sealed record Delivery(IActorRef Recipient, object? Tag);

    /// <summary>Completions freed room in the ring.</summary>
    internal sealed class Progress
    {
        private Progress()
        {
        }

        internal static Progress Instance { get; } = new();
    }
}
