using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;

namespace Uring.Actors;

/// <summary>
/// Owns one <see cref="Ring"/>. It runs on a pinned dispatcher and creates the ring on its own
/// thread (with SINGLE_ISSUER when the kernel accepts it), so every submission and every
/// <c>io_uring_register</c> call comes from that one thread. SQEs prepared while it drains its
/// mailbox go to the kernel together: the first submission of a burst schedules a flush message
/// behind the burst. When the ring is full — SQ, the in-flight limit, or a kernel that cannot take
/// more (CQ overflow) — the owner stashes commands and retries them, in order, when the reaper
/// reports progress. Stopping stops the reaper, then cancels and drains every operation before the
/// ring is freed.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it owns in PostStop, which always runs.")]
public sealed class RingOwnerActor : ReceiveActor, IWithUnboundedStash
{
    private readonly UringSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Ring? _ring;
    private CompletionReaper? _reaper;
    private bool _flushScheduled;
    private bool _backedOff;
    private DateTime _lastLimitWarning = DateTime.MinValue;

    /// <summary>Creates the owner; the ring itself is created in <see cref="PreStart"/>, on the owner's thread.</summary>
    public RingOwnerActor(UringSettings settings)
    {
        _settings = settings;
        Receive<RingProtocol.Submit>(OnSubmit);
        Receive<RingProtocol.Cancel>(cancel => OnSubmit(new RingProtocol.Submit((ring, userData) => ring.SubmitCancel(cancel.Handle, userData), DeliverTo: ActorRefs.Nobody)));
        Receive<FlushNow>(_ => Flush());
        Receive<CompletionReaper.Progress>(_ => Resume());
        Receive<CompletionReaper.FlushDeferredWork>(_ =>
        {
            _reaper!.DeferredWorkFlushed();
            Flush(); // the same path as a burst's flush, backing off if the kernel cannot take the SQEs
        });
        Receive<RingProtocol.GetRing>(_ => Sender.Tell(Ring));
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    private Ring Ring => _ring ?? throw new InvalidOperationException("The ring owner has no ring.");

    /// <summary>Props for the owner on its pinned dispatcher.</summary>
    public static Props Props(UringSettings settings) =>
        Akka.Actor.Props.Create(() => new RingOwnerActor(settings)).WithDispatcher(UringSettings.OwnerDispatcher);

    /// <inheritdoc />
    protected override void PreStart()
    {
        var flags = _settings.SingleIssuer && UringProbe.Probe(flags: RingSetupFlags.SingleIssuer).Available
            ? RingSetupFlags.SingleIssuer
            : RingSetupFlags.None;
        _ring = new Ring(_settings.ToRingOptions(flags)) { AutoSubmit = false };
        if (_settings.SharedReceiveBuffers > 0)
        {
            // Disposed with the ring, which retires its pools after the last receive ended.
            SharedReceiveBuffers.Attach(_ring, _ring.RegisterReceiveBufferPool(_settings.ReceiveBufferSize, _settings.SharedReceiveBuffers));
        }

        _reaper = new CompletionReaper(_ring, Self);
        _log.Info("Ring {0} ready on thread {1}: sq {2}, cq {3}, max in flight {4}, flags {5}",
            _ring.Fd, Environment.CurrentManagedThreadId, _ring.SqEntries, _ring.CqEntries, _ring.MaxInFlight, _ring.Flags);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _reaper?.Stop();
        if (_ring is { } ring)
        {
            var inFlight = ring.InFlight;
            ring.Dispose(); // cancels, drains, then frees — on the submitter thread, as SINGLE_ISSUER requires
            _log.Info("Ring {0} closed; {1} operations were cancelled and drained", ring.Fd, inFlight);
        }
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
            var handle = command.Start(Ring, new CompletionReaper.Delivery(recipient, command.Tag, command.Intercept));
            if (command.AcknowledgeWith)
            {
                Sender.Tell(new RingProtocol.Submitted(command.Tag, handle));
            }

            ScheduleFlush();
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

    private void ScheduleFlush()
    {
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            Self.Tell(FlushNow.Instance); // behind the messages already queued: one io_uring_enter per burst
        }
    }

    private void Flush()
    {
        _flushScheduled = false;
        Ring.Flush();
        if (Ring.PendingSubmissions > 0)
        {
            BackOff(); // the kernel could not take them (CQ overflow): retry on progress
        }
    }

    /// <summary>Stop taking commands until completions free room; ask the reaper to say when.</summary>
    private void BackOff()
    {
        UringMetrics.Backpressure.Add(1);
        Ring.Flush();
        _backedOff = true;
        _reaper!.NotifyProgress();
        if (Ring.InFlight < Ring.MaxInFlight && Ring.PendingSubmissions == 0)
        {
            Self.Tell(CompletionReaper.Progress.Instance); // room appeared before the reaper was asked
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

    /// <summary>Hand the burst's SQEs to the kernel.</summary>
    private sealed class FlushNow
    {
        private FlushNow()
        {
        }

        internal static FlushNow Instance { get; } = new();
    }
}
