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
    private static readonly TimeSpan DrainSlice = TimeSpan.FromMilliseconds(50);

    private readonly UringSettings _settings;
    private readonly RingShard? _shard;
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

    /// <summary>The owner of the extension's ring <paramref name="shard"/>: it names the ring after it and tells it where its loop is, for the connections that post their sends there.</summary>
    internal RingOwnerActor(UringSettings settings, RingShard? shard)
    {
        _settings = settings;
        _shard = shard;
        Receive<RingProtocol.Submit>(OnSubmit);
        Receive<RingProtocol.Cancel>(cancel => OnSubmit(new RingProtocol.Submit(CancelAndForget(cancel.Handle))));
        Receive<RingLoop.Progress>(_ => Resume());
        Receive<RingLoop.Failed>(failed => throw new UringException("The ring loop failed to submit or reap; the owner restarts with a new ring.", failed.Cause));
        Receive<RingProtocol.GetRing>(_ => Sender.Tell(Ring));
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <summary>
    /// Nobody reads a cancel's own result: it goes fire-and-forget, so it takes no in-flight slot and
    /// posts nothing on success (a failure is logged by the ring). The cancelled operation still
    /// delivers its final completion to its own recipient.
    /// </summary>
    private static Func<Ring, object, OperationHandle> CancelAndForget(OperationHandle target) => (ring, _) =>
    {
        ring.SubmitCancelAndForget(target);
        return default;
    };

    private Ring Ring => _ring ?? throw new InvalidOperationException("The ring owner has no ring.");

    /// <summary>What the log calls this ring: its index in the extension, else its descriptor.</summary>
    private string RingName => _shard is { } shard ? shard.Name : $"fd {_ring?.Fd}";

    /// <summary>Props for the owner on its ring loop (<see cref="UringSettings.OwnerDispatcher"/>).</summary>
    public static Props Props(UringSettings settings) =>
        FactoryProps.Create(() => new RingOwnerActor(settings, null)).WithDispatcher(UringSettings.OwnerDispatcher);

    /// <summary>Props for the owner of the extension's ring <paramref name="shard"/>, on that ring's own loop.</summary>
    internal static Props Props(UringSettings settings, RingShard shard) =>
        FactoryProps.Create(() => new RingOwnerActor(settings, shard)).WithDispatcher(shard.OwnerDispatcherId);

    /// <inheritdoc />
    protected override void PreStart()
    {
        _loop = RingLoop.Current ?? throw new InvalidOperationException(
            $"The ring owner must run on a ring loop: configure {UringSettings.OwnerDispatcher} with type = \"{typeof(RingLoopDispatcherConfigurator).FullName}, Uring.Actors\" (the default in reference.conf).");
        var flags = ChooseFlags(_settings);
        var (growTo, growth) = ChooseGrowth(_settings, flags);
        _ring = new Ring(_settings.ToRingOptions(flags, _shard?.Name, growTo)) { AutoSubmit = false };
        _ring.CompletionQueueGrew = step => _log.Info(
            "Ring {0} grew: every one of its {1} operation slots was taken, so its completion queue and in-flight limit are now {2} (growth stops at {3})",
            RingName, step.PreviousEntries, step.Entries, step.Cap);
        if (_settings.SharedReceiveBuffers > 0)
        {
            // Disposed with the ring, which retires its pools after the last receive ended.
            SharedReceiveBuffers.Attach(_ring, _ring.RegisterReceiveBufferPool(_settings.ReceiveBufferSize, _settings.SharedReceiveBuffers));
        }

        _loop.Attach(_ring, Self);
        if (_shard is { } shard)
        {
            // The extension's owner: its ring's loop dispatcher (and, for ring 0, the following one) runs on this loop.
            Anchor(LoopDispatcherAnchor.Name, shard.LoopDispatcherId);
            if (shard.Index == 0)
            {
                Anchor(LoopDispatcherAnchor.FollowingName, UringSettings.LoopDispatcher);
            }
        }

        _log.Info("Ring {0} ready on thread {1} (fd {2}): {3}, {4}, flags {5}",
            RingName, Thread.CurrentThread.Name, _ring.Fd, $"sq {_ring.SqEntries}, cq {_ring.CqEntries}, max in flight {_ring.MaxInFlight}", growth, _ring.Flags);
    }

    /// <summary>
    /// The loop failed (or a submission threw what no caller expects): this ring is given up for a
    /// new one. Before it is freed, every operation in it is cancelled and its final completion
    /// delivered as usual, so each operation's owner hears how it ended — a connection closes, a
    /// listener accepts again on the new ring. If the ring cannot even do that, the residents hear
    /// <see cref="RingRestarted"/> instead. The anchors stay: they are children that outlive the restart.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        _log.Error(reason, "Ring {0} failed: {1}. Its operations are cancelled and it restarts with a new ring", RingName, reason.Message);
        _loop?.Detach();
        if (_ring is not { } ring)
        {
            return;
        }

        _ring = null;
        var delivered = DeliverFinalCompletions(ring);
        ring.Dispose();
        if (!delivered && _shard is { } shard)
        {
            foreach (var resident in shard.Residents)
            {
                resident.Tell(new RingRestarted(ring), ActorRefs.NoSender);
            }
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _loop?.Detach();
        if (_ring is { } ring)
        {
            var inFlight = ring.InFlight;
            ring.Dispose(); // cancels, drains, then frees — on the submitter thread, as SINGLE_ISSUER requires
            _log.Info("Ring {0} closed; {1} operations were cancelled and drained", RingName, inFlight);
        }
    }

    /// <summary>An idle actor on <paramref name="dispatcher"/> for as long as this owner lives (made once; a restart keeps it).</summary>
    private static void Anchor(string name, string dispatcher)
    {
        if (Context.Child(name).IsNobody())
        {
            Context.ActorOf(LoopDispatcherAnchor.Props.WithDispatcher(dispatcher), name);
        }
    }

    /// <summary>
    /// Cancels everything in <paramref name="ring"/> and delivers each final completion to its
    /// recipient, within the drain timeout; true when nothing was left in flight.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A ring that fails here is given up anyway: its residents are told instead.")]
    private bool DeliverFinalCompletions(Ring ring)
    {
        try
        {
            if (ring.InFlight > 0)
            {
                ring.CancelInFlight();
                ring.Flush();
            }

            var deadline = DateTime.UtcNow + _settings.DrainTimeout;
            while (ring.InFlight > 0 && DateTime.UtcNow < deadline)
            {
                if (ring.Wait(DrainSlice) is { } completion)
                {
                    RingLoop.Deliver(completion);
                }
            }

            return ring.InFlight == 0;
        }
        catch (Exception e)
        {
            _log.Error(e, "Ring {0} could not deliver the final completions of its {1} operations: {2}", RingName, ring.InFlight, e.Message);
            return false;
        }
    }

    /// <summary>
    /// The CQ size the ring may grow to, or null, with the reason in words for the start-up log:
    /// growth needs no explicit in-flight limit, DEFER_TASKRUN in effect and a kernel that resizes.
    /// </summary>
    private static (int? GrowTo, string Reason) ChooseGrowth(UringSettings settings, RingSetupFlags flags)
    {
        if (settings.GrowCompletionQueueTo == 0)
        {
            return (null, "no growth (grow-completion-queue-to = 0)");
        }

        if (settings.MaxInFlight != 0)
        {
            return (null, "no growth (max-in-flight is set)");
        }

        if ((flags & RingSetupFlags.DeferTaskrun) == 0)
        {
            return (null, "no growth (needs defer-taskrun)");
        }

        if (!UringProbe.Probe().Has("IORING_REGISTER_RESIZE_RINGS"))
        {
            return (null, "no growth (this kernel cannot resize rings)");
        }

        return (settings.GrowCompletionQueueTo, $"grows to cq {settings.GrowCompletionQueueTo}");
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
        UringMetrics.Add(UringMetrics.Backpressure, 1, Ring.MetricTag);
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
            "Ring {0}'s in-flight limit ({1}) is reached; commands wait until operations complete. Each open connection holds one operation: raise uring.ring.completion-queue-entries (or max-in-flight; or grow-completion-queue-to, where the ring grows) if connections stall",
            RingName,
            Ring.MaxInFlight);
    }
}
