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
    /// the cancel won).
    /// </summary>
    private ValueTask<Completion> SubmitAsync<TArguments, TOp>(CompletionKind kind, in TArguments arguments, Preparation<TArguments, TOp> prepare, CancellationToken cancellation)
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
    /// A multishot operation as an async stream: each leg is yielded in order; the stream ends with
    /// the operation's final completion (which it yields too). Cancelling, or leaving the loop early,
    /// cancels the operation and waits for its final completion before the enumerator finishes.
    /// </summary>
    private async IAsyncEnumerable<Completion> StreamAsync<TArguments, TOp>(CompletionKind kind, TArguments arguments, Preparation<TArguments, TOp> prepare, [EnumeratorCancellation] CancellationToken cancellation)
        where TOp : struct, IRingOperation
    {
        cancellation.ThrowIfCancellationRequested();
        var legs = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var slot = Rent(kind, null);
        slot.Stream = legs.Writer;
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

        var ended = false;
        using var registration = CancelTarget.Register(this, token, cancellation);
        try
        {
            while (await legs.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (legs.Reader.TryRead(out var leg))
                {
                    ended = !leg.HasMore;
                    if (ended && leg.Error == Errno.ECANCELED && cancellation.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellation);
                    }

                    yield return leg;
                }
            }
        }
        finally
        {
            if (!ended)
            {
                // The consumer left early: end the operation and wait for its final completion, so
                // nothing it lent the kernel outlives the enumerator.
                CancelFromAnyThread(token);
                while (await legs.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    while (legs.Reader.TryRead(out _))
                    {
                    }
                }
            }
        }
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
