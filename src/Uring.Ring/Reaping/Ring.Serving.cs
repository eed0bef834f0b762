namespace Uring;

public sealed partial class Ring
{
    /// <summary>The most completions one <see cref="BatchCallback"/> call gets.</summary>
    private const int MaxBatch = 256;

    private Action<Completion>? _callback;
    private Action<ReadOnlySpan<Completion>>? _batchCallback;
    private ServingExceptionHandler? _callbackExceptionHandler;
    private int _servingWorkers;
    private volatile bool _stopServing;
    private Exception? _servingFault;

    /// <summary>
    /// Raised, on the worker's thread, when <see cref="Callback"/> throws. The worker group then stops
    /// (as if <see cref="StopServing"/> were called); the exception is also logged and kept in
    /// <see cref="ServingFault"/>. Never swallowed.
    /// </summary>
    public event EventHandler<CallbackFailedEventArgs>? CallbackFailed;

    /// <summary>
    /// What workers in <see cref="ServeCompletions"/> call for each completion. Settable only while
    /// no worker serves. Awaited operations do not go through it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while workers serve.</exception>
    public Action<Completion>? Callback
    {
        get => _callback;
        set
        {
            if (IsServing)
            {
                throw new InvalidOperationException("Callback cannot change while workers serve completions; StopServing(), join the workers, then set it.");
            }

            _callback = value;
        }
    }

    /// <summary>
    /// What workers in <see cref="ServeCompletions"/> call, instead of <see cref="Callback"/>, with
    /// every completion one reap produced (up to 256, in completion-queue order): a burst costs one
    /// call and one trip through the wait lock, not one per completion. The span is valid only during
    /// the call (copy what you keep). A multishot operation's final completion is handed over only
    /// after every earlier leg's batch has returned, as with <see cref="Callback"/>. Set one of the
    /// two, not both. Settable only while no worker serves.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while workers serve.</exception>
    public Action<ReadOnlySpan<Completion>>? BatchCallback
    {
        get => _batchCallback;
        set
        {
            if (IsServing)
            {
                throw new InvalidOperationException("BatchCallback cannot change while workers serve completions; StopServing(), join the workers, then set it.");
            }

            _batchCallback = value;
        }
    }

    /// <summary>
    /// Called, on the worker's thread, when <see cref="Callback"/> throws. If it returns, the worker
    /// keeps serving and nothing is stopped or kept in <see cref="ServingFault"/>; if it throws, or is
    /// null (the default), the worker group stops as <see cref="CallbackFailed"/> describes. Settable
    /// only while no worker serves.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while workers serve.</exception>
    public ServingExceptionHandler? CallbackExceptionHandler
    {
        get => _callbackExceptionHandler;
        set
        {
            if (IsServing)
            {
                throw new InvalidOperationException("CallbackExceptionHandler cannot change while workers serve completions; StopServing(), join the workers, then set it.");
            }

            _callbackExceptionHandler = value;
        }
    }

    /// <summary>True while at least one worker is inside <see cref="ServeCompletions"/> (or a <see cref="CompletionThread"/> runs).</summary>
    public bool IsServing => Volatile.Read(ref _servingWorkers) > 0;

    /// <summary>The exception a callback threw that stopped the worker group; cleared by <see cref="ResetServing"/>.</summary>
    public Exception? ServingFault => Volatile.Read(ref _servingFault);

    /// <summary>
    /// Serves completions on the calling thread until <see cref="StopServing"/>: reaps each completion
    /// and calls <see cref="Callback"/> with it. Call it from as many caller-owned threads as you
    /// like: one at a time waits in the kernel while the others run callbacks. A multishot operation's
    /// legs may run on several workers at once (<see cref="Completion.Sequence"/> restores their order),
    /// but its final completion is handed to the callback only after every earlier leg's callback has
    /// returned. Returns at once if serving was stopped and not reset.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="Callback"/> is set (nothing is reaped, so nothing is lost), or a <see cref="CompletionThread"/> serves this ring.</exception>
    public void ServeCompletions()
    {
        ThrowIfClosed();
        if (_callback is null && _batchCallback is null)
        {
            throw new InvalidOperationException("ServeCompletions() delivers every completion to Ring.Callback (or Ring.BatchCallback), and neither is set: set one before serving. Nothing was reaped.");
        }

        if (_callback is not null && _batchCallback is not null)
        {
            throw new InvalidOperationException("Both Ring.Callback and Ring.BatchCallback are set; set one of them, so that each completion has one place to go. Nothing was reaped.");
        }

        if (_completionThreadId != 0)
        {
            throw new InvalidOperationException("A CompletionThread already serves this ring; dispose it before serving from other threads.");
        }

        Serve(forwarding: false);
    }

    /// <summary>
    /// Asks every worker to return from <see cref="ServeCompletions"/> once it has delivered the
    /// completion it holds, and wakes the one waiting in the kernel. Sticky until <see cref="ResetServing"/>.
    /// Completions not yet reaped stay in the ring for the next workers or <see cref="Wait"/>.
    /// </summary>
    public void StopServing()
    {
        _stopServing = true;
        if (!IsClosed)
        {
            _wake.Wake();
        }
    }

    /// <summary>Clears the stop request and <see cref="ServingFault"/>, so new workers can serve.</summary>
    /// <exception cref="InvalidOperationException">Workers are still serving: join them first.</exception>
    public void ResetServing()
    {
        if (IsServing)
        {
            throw new InvalidOperationException("Workers are still inside ServeCompletions(); StopServing() and join them before resetting.");
        }

        _stopServing = false;
        Volatile.Write(ref _servingFault, null);
    }

    private void ThrowIfServing()
    {
        if (IsServing)
        {
            throw new InvalidOperationException("Workers are serving completions (ServeCompletions or a CompletionThread); Wait() would steal theirs. StopServing() and join them first.");
        }
    }

    /// <summary>The worker loop. With <paramref name="forwarding"/> (the completion thread) it also submits what other threads forwarded to it.</summary>
    private void Serve(bool forwarding)
    {
        ThrowIfClosed();
        Interlocked.Increment(ref _servingWorkers);
        try
        {
            if (_batchCallback is not null)
            {
                ServeBatches(forwarding);
                return;
            }

            while (!_stopServing)
            {
                if (forwarding)
                {
                    SubmitForwarded();
                }

                Completion completion;
                OperationSlot? ordered;
                lock (_waitLock)
                {
                    if (_stopServing || IsClosed)
                    {
                        break;
                    }

                    if (!TakeNext(long.MaxValue, serving: true, out completion, out ordered))
                    {
                        continue;
                    }
                }

                Deliver(completion, ordered);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _servingWorkers);
        }
    }

    /// <summary>
    /// Calls the callback outside the wait lock. A multishot operation's final completion waits until
    /// the callbacks of all its earlier legs — which other workers may still be running — have
    /// returned; then its slot is freed. Earlier legs run in parallel; <see cref="Completion.Sequence"/>
    /// restores their order.
    /// </summary>
    private void Deliver(in Completion completion, OperationSlot? ordered)
    {
        try
        {
            if (ordered is not null && !completion.HasMore)
            {
                WaitForEarlierLegs(ordered, unchecked(completion.Sequence - ordered.BaseSequence));
            }

            if (_callback is { } callback)
            {
                callback(completion);
            }
            else
            {
                RingLog.CompletionWithoutCallback(_logger, _raw.Fd, completion.Kind, completion.Res);
                completion.Lease?.Dispose(); // nobody will: give the buffer back now
            }
        }
        catch (Exception e)
        {
            // Not an exception filter: the handler runs after the callback's own finally blocks.
            if (!Handled(completion, e))
            {
                ReportCallbackFailure(completion, e);
            }
        }
        finally
        {
            if (ordered is not null)
            {
                LegReturned(ordered, completion);
            }
        }
    }

    /// <summary>A multishot leg's callback returned: count it for the final's wait, or, for the final, free the slot.</summary>
    private void LegReturned(OperationSlot slot, in Completion completion)
    {
        if (completion.HasMore)
        {
            Interlocked.Increment(ref slot.LegsDelivered);
        }
        else
        {
            ReleaseSlot(slot);
        }
    }

    /// <summary>Whether <see cref="CallbackExceptionHandler"/> took <paramref name="exception"/>; one that throws did not (its failure is logged).</summary>
    private bool Handled(in Completion completion, Exception exception) => Handled([completion], exception);

    private bool Handled(Completion[] completions, Exception exception)
    {
        if (_callbackExceptionHandler is not { } handler)
        {
            return false;
        }

        var completion = completions[0];
        try
        {
            handler(this, exception, completions);
            return true;
        }
        catch (Exception handlerFailure)
        {
            RingLog.CallbackFailed(_logger, handlerFailure, _raw.Fd, completion.Kind);
            return false;
        }
    }

    private void ReportCallbackFailure(in Completion completion, Exception exception)
    {
        Volatile.Write(ref _servingFault, exception);
        StopServing();
        RingLog.CallbackFailed(_logger, exception, Fd, completion.Kind);
        try
        {
            CallbackFailed?.Invoke(this, new CallbackFailedEventArgs(completion, exception));
        }
        catch (Exception handlerFailure)
        {
            RingLog.CallbackFailed(_logger, handlerFailure, Fd, completion.Kind);
        }
    }
}
