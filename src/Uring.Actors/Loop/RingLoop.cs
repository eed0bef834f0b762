using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Uring.Actors.Protocol;

namespace Uring.Actors;

/// <summary>
/// The ring owner's thread: an Akka executor that runs the owner's mailbox and, between mailbox
/// runs, hands the prepared SQEs to the kernel and reaps the completions — the event loop of a C
/// io_uring server. One thread both submits and waits, so the kernel runs the ring's task work
/// (receives completing, sends finishing) in the context of the thread that is waiting for it
/// anyway, instead of interrupting an owner thread and then waking a separate reaper.
/// <para>Each completion goes to the actor its submission named (or its interceptor takes it).
/// When another thread hands the loop work while it waits in the kernel, <see cref="Ring.BreakWait"/>
/// wakes it. The owner attaches its ring from <c>PreStart</c> (<see cref="Attach"/>), on this
/// thread, and detaches it in <c>PostStop</c> before disposing it.</para>
/// <para>The extension's connections also hand it their sends directly (<see cref="Post"/>), without
/// a message to the owner; the loop runs that work before it submits.</para>
/// </summary>
internal sealed class RingLoop : ExecutorService
{
    private const int Running = 0;
    private const int IdleWithoutRing = 1;
    private const int WaitingInRing = 2;

    [ThreadStatic]
    private static RingLoop? s_current;

    private readonly ConcurrentQueue<IRunnable> _runs = new();
    private readonly ConcurrentQueue<IRingWork> _posted = new();
    private readonly Queue<IRingWork> _waitingForRoom = new(); // the loop's thread only
    private readonly object _idle = new();
    private readonly Thread _thread;
    private volatile Ring? _ring; // read by Wake on other threads
    private IActorRef _owner = ActorRefs.Nobody;
    private int _state;
    private int _progressWanted;
    private volatile bool _shutdown;

    /// <summary>Starts the loop's thread, named <paramref name="threadName"/> (Linux keeps 15 characters of it: <c>uring-ring-12</c> fits).</summary>
    internal RingLoop(string id, string threadName)
        : base(id)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>The loop whose thread is calling, or null on any other thread.</summary>
    internal static RingLoop? Current => s_current;

    /// <inheritdoc />
    public override void Execute(IRunnable run)
    {
        if (_shutdown)
        {
            throw new RejectedExecutionException($"The ring loop {Id} is shut down.");
        }

        _runs.Enqueue(run);
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            Wake();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loop's thread with its ring, before the loop next submits
    /// and waits — the hot path of a connection's sends, which costs no message to the owner. While
    /// the owner restarts (no ring attached) the work waits for the new ring.
    /// </summary>
    /// <exception cref="RejectedExecutionException">The loop is shut down.</exception>
    internal void Post(IRingWork work)
    {
        if (_shutdown)
        {
            throw new RejectedExecutionException($"The ring loop {Id} is shut down.");
        }

        _posted.Enqueue(work);
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            Wake();
        }
    }

    /// <summary>Posted work that found the ring at its in-flight limit runs again at the next turn that finds room; call on the loop's thread.</summary>
    internal void RunAgainWhenRoom(IRingWork work) => _waitingForRoom.Enqueue(work);

    /// <inheritdoc />
    public override void Shutdown()
    {
        _shutdown = true;
        Wake();
    }

    /// <summary>From now on the loop flushes and reaps <paramref name="ring"/>; call on the loop's thread.</summary>
    internal void Attach(Ring ring, IActorRef owner)
    {
        _ring = ring;
        _owner = owner;
    }

    /// <summary>Stops serving the ring, so it can be disposed; call on the loop's thread.</summary>
    internal void Detach() => _ring = null;

    /// <summary>Tell the owner <see cref="Progress"/> after the next completion (it waits for room).</summary>
    internal void NotifyProgress() => Volatile.Write(ref _progressWanted, 1);

    private void Wake()
    {
        switch (Interlocked.Exchange(ref _state, Running))
        {
            case IdleWithoutRing:
                lock (_idle)
                {
                    Monitor.Pulse(_idle);
                }

                break;
            case WaitingInRing:
                try
                {
                    _ring?.BreakWait();
                }
                catch (ObjectDisposedException)
                {
                    // The loop woke up and closed the ring meanwhile: it is not waiting any more.
                }

                break;
        }
    }

    private void Run()
    {
        s_current = this;
        while (!_shutdown || !_runs.IsEmpty)
        {
            RunQueued();
            if (_ring is { } ring)
            {
                ServeRing(ring);
            }
            else if (GoingToSleep(IdleWithoutRing))
            {
                SleepWithoutRing();
            }
        }

        AbandonPosted();
    }

    private void AbandonPosted()
    {
        while (_waitingForRoom.TryDequeue(out var work) || _posted.TryDequeue(out work))
        {
            work.Abandon();
        }
    }

    /// <summary>Runs the work posted so far (work that finds the ring full asks to run again later).</summary>
    private void RunPosted(Ring ring)
    {
        for (var count = _posted.Count; count > 0 && _posted.TryDequeue(out var work); count--)
        {
            work.Run(ring);
        }
    }

    /// <summary>Work waits for room, and the ring has some (below its in-flight limit; a full SQ empties at every flush).</summary>
    private bool HasWorkWaitingForRoom(Ring ring) => _waitingForRoom.Count > 0 && ring.InFlight < ring.MaxInFlight;

    /// <summary>Posted work that found the ring full runs again (and asks again if it still is).</summary>
    private void RunWaitingForRoom(Ring ring)
    {
        for (var count = _waitingForRoom.Count; count > 0 && _waitingForRoom.TryDequeue(out var work); count--)
        {
            work.Run(ring);
        }
    }

    /// <summary>Runs the work queued so far; work queued meanwhile waits for the next turn, after the ring has been served.</summary>
    private void RunQueued()
    {
        for (var count = _runs.Count; count > 0 && _runs.TryDequeue(out var run); count--)
        {
            run.Run();
        }
    }

    /// <summary>
    /// Submits what the mailbox runs prepared, delivers every ready completion, and waits in the
    /// kernel when nothing else is left to do.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A failure of the ring must reach the owner (which restarts under supervision), not kill the loop's thread.")]
    private void ServeRing(Ring ring)
    {
        try
        {
            RunPosted(ring);
            if (HasWorkWaitingForRoom(ring))
            {
                RunWaitingForRoom(ring);
            }

            if (ring.PendingSubmissions > 0 || ring.HasDeferredWork)
            {
                ring.Flush(); // what the kernel cannot take now (CQ overflow) stays queued for the next turn
            }

            var delivered = false;
            while (ring.Wait(TimeSpan.Zero) is { } ready)
            {
                Deliver(ready);
                delivered = true;
            }

            // Work that waits for room retries next turn: at once if the flush made room, else after a completion.
            if (!delivered && !HasWorkWaitingForRoom(ring) && GoingToSleep(WaitingInRing) && ring.Wait() is { } completion)
            {
                Deliver(completion);
                delivered = true;
            }

            Interlocked.Exchange(ref _state, Running);
            if (delivered && Interlocked.Exchange(ref _progressWanted, 0) == 1)
            {
                _owner.Tell(Progress.Instance, ActorRefs.NoSender);
            }
        }
        catch (Exception e)
        {
            Interlocked.Exchange(ref _state, Running);
            _ring = null; // the owner restarts, which disposes this ring and attaches a new one
            _owner.Tell(new Failed(e), ActorRefs.NoSender);
        }
    }

    private void SleepWithoutRing()
    {
        lock (_idle)
        {
            if (Volatile.Read(ref _state) == IdleWithoutRing)
            {
                Monitor.Wait(_idle); // a Wake after this check pulses under the same lock
            }
        }
    }

    /// <summary>Announces a sleep; false (and awake again) when work arrived meanwhile.</summary>
    private bool GoingToSleep(int state)
    {
        Interlocked.Exchange(ref _state, state);
        if (_runs.IsEmpty && !_shutdown && (state == IdleWithoutRing || _posted.IsEmpty)) // posted work waits for a ring
        {
            return true;
        }

        Interlocked.Exchange(ref _state, Running);
        return false;
    }

    /// <summary>Hands <paramref name="completion"/> to its submission's interceptor, else tells its recipient; on the ring's thread.</summary>
    internal static void Deliver(Completion completion)
    {
        if (completion.UserData is Delivery delivery && !Intercepted(delivery, completion))
        {
            delivery.Recipient.Tell(new RingProtocol.Completed(delivery.Tag, completion), ActorRefs.NoSender);
        }
    }

    /// <summary>Lets the submission's interceptor take the completion; one that throws gives it back to the ordinary delivery, so the loop never dies of it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "The loop must survive a faulty interceptor; the completion is then delivered as a message.")]
    private static bool Intercepted(Delivery delivery, Completion completion)
    {
        try
        {
            return delivery.TryTake(completion);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Where one operation's completions go (the ring's user data), and who may take them first
    /// (<see cref="RingProtocol.Submit.Intercept"/>). A subclass that takes its completions itself
    /// overrides <see cref="TryTake"/>: one object fewer to reach per completion than a delegate.
    /// </summary>
    internal class Delivery(IActorRef recipient, object? tag, Func<Completion, bool>? intercept = null)
    {
        /// <summary>The actor told each completion nobody took, as <see cref="RingProtocol.Completed"/>.</summary>
        internal IActorRef Recipient { get; } = recipient;

        /// <summary>The submission's tag, carried by each <see cref="RingProtocol.Completed"/>.</summary>
        internal object? Tag { get; } = tag;

        /// <summary>Takes <paramref name="completion"/> on the loop's thread; false leaves it to <see cref="Recipient"/>.</summary>
        internal virtual bool TryTake(Completion completion) => intercept?.Invoke(completion) == true;
    }

    /// <summary>Completions freed room in the ring.</summary>
    internal sealed class Progress
    {
        private Progress()
        {
        }

        internal static Progress Instance { get; } = new();
    }

    /// <summary>Serving the ring failed; the owner rethrows it so its supervisor decides.</summary>
    internal sealed record Failed(Exception Cause);
}
