using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Uring.Ops;

namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// The async twin of the submission path: the operation's completion goes to a pooled awaiter
    /// instead of <see cref="Wait"/> or <see cref="Callback"/>. Whoever reaps the ring completes it —
    /// a <see cref="Wait"/> loop, <see cref="ServeCompletions"/> workers, or a <see cref="CompletionThread"/>,
    /// which also takes over the submission when called from another thread. Cancelling
    /// <paramref name="cancellation"/> submits an ASYNC_CANCEL; the task still completes only when the
    /// operation's own completion has arrived (then with <see cref="OperationCanceledException"/> if
    /// the cancel won). A <paramref name="deadline"/> links the operation to a timeout, as in
    /// <see cref="Submit{TArguments, TOp}"/>.
    /// </summary>
    private ValueTask<Completion> SubmitAsync<TArguments, TOp>(CompletionKind kind, in TArguments arguments, Preparation<TArguments, TOp> prepare, CancellationToken cancellation, TimeSpan? deadline = null)
        where TOp : struct, IRingOperation
    {
        if (cancellation.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Completion>(cancellation);
        }

        var slot = Rent(kind, null);
        var awaiter = RentAwaiter();
        slot.Awaiter = awaiter;
        var token = slot.Token; // read before submitting: a fast completion may free and reuse the slot
        var task = awaiter.Task;
        try
        {
            if (deadline is { } timeout)
            {
                slot.ArmDeadline(timeout);
            }

            SubmitOrForward(slot, prepare(slot, arguments));
        }
        catch when (!slot.Submitted)
        {
            ReleaseSlot(slot);
            ReturnAwaiter(awaiter);
            throw;
        }

        if (cancellation.CanBeCanceled)
        {
            awaiter.CancelOn(token, cancellation);
        }

        return task;
    }

    /// <summary>
    /// A multishot operation as an async stream. Legs are yielded in order and numbered across the
    /// whole stream. When the kernel ends the request for a reason that is not an end — a final leg
    /// that still carries a result (it does that when the CQ overflows), or ENOBUFS — the stream
    /// re-arms it and goes on; it ends with the operation's real final completion (end of stream, an
    /// error), which it yields too. Cancelling, or leaving the loop early, cancels the operation and
    /// waits for its final completion before the enumerator finishes.
    /// </summary>
    private async IAsyncEnumerable<Completion> StreamAsync<TArguments, TOp>(CompletionKind kind, TArguments arguments, Preparation<TArguments, TOp> prepare, Func<Completion, bool> endedByKernel, [EnumeratorCancellation] CancellationToken cancellation)
        where TOp : struct, IRingOperation
    {
        cancellation.ThrowIfCancellationRequested();
        var legs = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sequence = 0;
        while (true)
        {
            var token = SubmitStreamed(kind, arguments, prepare, legs.Writer);
            var finished = false;
            using var registration = CancelTarget.Register(this, token, cancellation);
            try
            {
                while (!finished)
                {
                    var leg = await legs.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                    finished = !leg.HasMore;
                    if (!finished)
                    {
                        yield return leg.Renumbered(sequence++, leg.Flags);
                    }
                    else if (endedByKernel(leg) && !cancellation.IsCancellationRequested && !IsClosed)
                    {
                        if (leg.Res > 0)
                        {
                            yield return leg.Renumbered(sequence++, leg.Flags | CompletionFlags.More);
                        }
                        else
                        {
                            // A leased receive's ENOBUFS: every buffer is leased, and a fresh request
                            // would only take fresh memory for the consumer to hold. Re-arm once a
                            // lease came back (completed at once in every other case).
                            await leg.WhenBufferReturned().WaitAsync(cancellation).ConfigureAwait(false);
                        }

                        break; // re-arm
                    }
                    else if (leg.Error == Errno.ECANCELED && cancellation.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellation);
                    }
                    else
                    {
                        yield return leg.Renumbered(sequence, leg.Flags);
                        yield break;
                    }
                }
            }
            finally
            {
                if (!finished)
                {
                    // The consumer left early: end the operation and wait for its final completion,
                    // so nothing it lent the kernel outlives the enumerator.
                    CancelFromAnyThread(token);
                    Completion rest;
                    do
                    {
                        rest = await legs.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                        rest.Lease?.Dispose(); // a leased leg nobody will see: give its buffer back
                    }
                    while (rest.HasMore);
                }
            }
        }
    }

    /// <summary>Submits one multishot request whose legs go to <paramref name="legs"/>; returns its token.</summary>
    private ulong SubmitStreamed<TArguments, TOp>(CompletionKind kind, in TArguments arguments, Preparation<TArguments, TOp> prepare, ChannelWriter<Completion> legs)
        where TOp : struct, IRingOperation
    {
        var slot = Rent(kind, null);
        slot.Stream = legs;
        var token = slot.Token;
        try
        {
            SubmitOrForward(slot, prepare(slot, arguments));
        }
        catch when (!slot.Submitted)
        {
            ReleaseSlot(slot);
            throw;
        }

        return token;
    }

    private void SubmitOrForward<TOp>(OperationSlot slot, in TOp operation)
        where TOp : struct, IRingOperation
    {
        if (ShouldForward)
        {
            Forward(slot, operation);
        }
        else
        {
            Submit(slot, operation);
        }
    }
}
