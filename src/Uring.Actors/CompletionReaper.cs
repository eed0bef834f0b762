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
    private int _flushRequested;

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

            if (completion.UserData is Delivery delivery && !Intercepted(delivery, completion))
            {
                delivery.Recipient.Tell(new RingProtocol.Completed(delivery.Tag, completion), ActorRefs.NoSender);
            }

            if (Interlocked.Exchange(ref _progressWanted, 0) == 1)
            {
                _owner.Tell(Progress.Instance, ActorRefs.NoSender);
            }

            if (_ring.HasDeferredWork && Interlocked.Exchange(ref _flushRequested, 1) == 0)
            {
                // Only the owner's thread may unregister the buffer ring of an operation that just
                // ended; without a submission soon, ask it to flush.
                _owner.Tell(FlushDeferredWork.Instance, ActorRefs.NoSender);
            }
        }
    }

    /// <summary>The owner is about to flush: a later deferral may ask again.</summary>
    internal void DeferredWorkFlushed() => Volatile.Write(ref _flushRequested, 0);

    /// <summary>Lets the submission's interceptor take the completion; one that throws gives it back to the ordinary delivery, so the reaper thread never dies of it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "The reaper thread must survive a faulty interceptor; the completion is then delivered as a message.")]
    private static bool Intercepted(Delivery delivery, Completion completion)
    {
        try
        {
            return delivery.Intercept?.Invoke(completion) == true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Where one operation's completions go, and who may take them first (<see cref="RingProtocol.Submit.Intercept"/>).</summary>
    internal sealed record Delivery(IActorRef Recipient, object? Tag, Func<Completion, bool>? Intercept = null);

    /// <summary>Completions left work only the owner's thread may do (<see cref="Ring.HasDeferredWork"/>).</summary>
    internal sealed class FlushDeferredWork
    {
        private FlushDeferredWork()
        {
        }

        internal static FlushDeferredWork Instance { get; } = new();
    }

    /// <summary>Completions freed room in the ring.</summary>
    internal sealed class Progress
    {
        private Progress()
        {
        }

        internal static Progress Instance { get; } = new();
    }
}
