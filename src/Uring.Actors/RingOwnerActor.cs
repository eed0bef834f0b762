using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;

namespace Uring.Actors;

/// <summary>
/// Owns one <see cref="Ring"/>. It runs on its own thread, a ring loop
/// (<see cref="RingLoopDispatcherConfigurator"/>), and creates the ring there (with SINGLE_ISSUER when
/// the kernel accepts it), so every submission and every <c>io_uring_register</c> call comes from
/// that one thread. Submissions only prepare SQEs; after each mailbox run the loop hands them to the
/// kernel together and delivers the completions, on the same thread. When the ring is full — SQ or
/// the in-flight limit — the owner stashes commands and retries them, in order, once completions
/// have freed room. Stopping cancels and drains every operation before the ring is freed.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it owns in PostStop, which always runs.")]
public sealed class RingOwnerActor : ReceiveActor, IWithUnboundedStash
{
    private readonly UringSettings _settings;
    private readonly RingLoopReference? _loopReference;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Ring? _ring;
    private RingLoop? _loop;
    private bool _backedOff;
    private DateTime _lastLimitWarning = DateTime.MinValue;

    /// <summary>Creates the owner; the ring itself is created in <see cref="PreStart"/>, on the owner's thread.</summary>
    public RingOwnerActor(UringSettings settings)
        : this(settings, null)
    {
    }

    /// <summary>An owner that tells <paramref name="loopReference"/> where its loop is, for connections that post their sends to it.</summary>
    internal RingOwnerActor(UringSettings settings, RingLoopReference? loopReference)
    {
        _settings = settings;
        _loopReference = loopReference;
        Receive<RingProtocol.Submit>(OnSubmit);
        Receive<RingProtocol.Cancel>(cancel => OnSubmit(new RingProtocol.Submit((ring, userData) => ring.SubmitCancel(cancel.Handle, userData), DeliverTo: ActorRefs.Nobody)));
        Receive<RingLoop.Progress>(_ => Resume());
        Receive<RingLoop.Failed>(failed => throw new UringException("The ring loop failed to submit or reap; the owner restarts with a new ring.", failed.Cause));
        Receive<RingProtocol.GetRing>(_ => Sender.Tell(Ring));
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    private Ring Ring => _ring ?? throw new InvalidOperationException("The ring owner has no ring.");

    /// <summary>Props for the owner on its ring loop (<see cref="UringSettings.OwnerDispatcher"/>).</summary>
    public static Props Props(UringSettings settings) => Props(settings, null);

    /// <summary>Props for an owner that tells <paramref name="loopReference"/> where its loop is.</summary>
    internal static Props Props(UringSettings settings, RingLoopReference? loopReference) =>
        FactoryProps.Create(() => new RingOwnerActor(settings, loopReference)).WithDispatcher(UringSettings.OwnerDispatcher);

    /// <inheritdoc />
    protected override void PreStart()
    {
        _loop = RingLoop.Current ?? throw new InvalidOperationException(
            $"The ring owner must run on a ring loop: configure {UringSettings.OwnerDispatcher} with type = \"{typeof(RingLoopDispatcherConfigurator).FullName}, Uring.Actors\" (the default in reference.conf).");
        var flags = ChooseFlags(_settings);
        _ring = new Ring(_settings.ToRingOptions(flags)) { AutoSubmit = false };
        if (_settings.SharedReceiveBuffers > 0)
        {
            // Disposed with the ring, which retires its pools after the last receive ended.
            SharedReceiveBuffers.Attach(_ring, _ring.RegisterReceiveBufferPool(_settings.ReceiveBufferSize, _settings.SharedReceiveBuffers));
        }

        _loop.Attach(_ring, Self);
        if (_loopReference is not null)
        {
            // The extension's owner: uring.loop-dispatcher runs on this loop (see the anchor's remarks).
            _loopReference.Set(_loop);
            Context.ActorOf(LoopDispatcherAnchor.Props, LoopDispatcherAnchor.Name);
        }

        _log.Info("Ring {0} ready on thread {1}: sq {2}, cq {3}, max in flight {4}, flags {5}",
            _ring.Fd, Environment.CurrentManagedThreadId, _ring.SqEntries, _ring.CqEntries, _ring.MaxInFlight, _ring.Flags);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _loop?.Detach();
        if (_ring is { } ring)
        {
            var inFlight = ring.InFlight;
            ring.Dispose(); // cancels, drains, then frees — on the submitter thread, as SINGLE_ISSUER requires
            _log.Info("Ring {0} closed; {1} operations were cancelled and drained", ring.Fd, inFlight);
        }
    }

    /// <summary>
    /// SINGLE_ISSUER, and DEFER_TASKRUN on top, when configured and accepted by this kernel. The
    /// loop is the only thread that submits and the only one that waits, which both flags require.
    /// </summary>
    private static RingSetupFlags ChooseFlags(UringSettings settings)
    {
        if (!settings.SingleIssuer)
        {
            return RingSetupFlags.None;
        }

        // TASKRUN_FLAG lets the loop see when deferred work waits, so it enters the kernel only then.
        const RingSetupFlags deferred = RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun | RingSetupFlags.TaskrunFlag;
        if (settings.DeferTaskrun && UringProbe.Probe(flags: deferred).Available)
        {
            return deferred;
        }

        return UringProbe.Probe(flags: RingSetupFlags.SingleIssuer).Available ? RingSetupFlags.SingleIssuer : RingSetupFlags.None;
    }

    private void OnSubmit(RingProtocol.Submit command)
    {
        if (_backedOff)
        {
            Stash.Stash(); // keep order: nothing overtakes a stashed command
            return;
        }

        var recipient = command.DeliverTo ?? Sender;
        try
        {
            var handle = command.Start(Ring, command.Delivery ?? new RingLoop.Delivery(recipient, command.Tag, command.Intercept));
            if (command.AcknowledgeWith)
            {
                Sender.Tell(new RingProtocol.Submitted(command.Tag, handle));
            }
        }
        catch (SubmissionQueueFullException full)
        {
            if (full.InFlightLimitReached)
            {
                WarnAboutInFlightLimit();
            }

            Stash.Stash();
            BackOff();
        }
        catch (Exception e) when (e is ArgumentException or ObjectDisposedException or InvalidOperationException or UringException)
        {
            recipient.Tell(new RingProtocol.SubmitFailed(command.Tag, e));
        }
    }

    /// <summary>Stop taking commands until completions free room; ask the loop to say when.</summary>
    private void BackOff()
    {
        UringMetrics.Backpressure.Add(1);
        Ring.Flush();
        _backedOff = true;
        _loop!.NotifyProgress();
        if (Ring.InFlight < Ring.MaxInFlight && Ring.PendingSubmissions == 0)
        {
            Self.Tell(RingLoop.Progress.Instance); // room appeared before the loop was asked
        }
    }

    private void Resume()
    {
        if (!_backedOff)
        {
            return;
        }

        _backedOff = false;
        Ring.Flush();
        Stash.UnstashAll();
    }

    /// <summary>
    /// Reaching the limit in a burst is ordinary backpressure; staying there usually means
    /// long-lived operations (one multishot receive per connection) fill it, and new connections
    /// wait. Said at most once a minute.
    /// </summary>
    private void WarnAboutInFlightLimit()
    {
        var now = DateTime.UtcNow;
        if (now - _lastLimitWarning < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _lastLimitWarning = now;
        _log.Warning(
            "The ring's in-flight limit ({0}) is reached; commands wait until operations complete. Each open connection holds one operation: raise uring.ring.completion-queue-entries (or max-in-flight) if connections stall",
            Ring.MaxInFlight);
    }
}
