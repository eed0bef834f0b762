using Akka.Actor;

namespace Uring.Actors.Protocol;

/// <summary>
/// Messages of the ring owner actor. Every submission is a message to it, so exactly one thread
/// issues SQEs; completions come back as <see cref="Completed"/> messages to the actor each
/// submission names.
/// </summary>
public static class RingProtocol
{
    /// <summary>
    /// Submit one operation: <paramref name="Start"/> runs on the owner's thread with the owner's
    /// <see cref="Ring"/> and the user data to pass, and submits (for example
    /// <c>(ring, userData) =&gt; ring.SubmitSend(socket, data, userData)</c>). Every completion of the
    /// operation goes to <paramref name="DeliverTo"/> (the sender when null) as <see cref="Completed"/>
    /// carrying <paramref name="Tag"/>. When the ring is full the owner stashes the command and retries
    /// it once completions free room; a requester's commands keep their order.
    /// </summary>
    /// <param name="Start">Submits the operation; must use exactly the user data it is given.</param>
    /// <param name="Tag">Identifies the operation to its recipient.</param>
    /// <param name="DeliverTo">Who receives the completions; the sender when null.</param>
    /// <param name="AcknowledgeWith">When set, the owner replies <see cref="Submitted"/> with the operation's handle (to cancel it later).</param>
    /// <param name="Intercept">
    /// Optional: runs on the ring loop's thread for each completion before it is delivered,
    /// and returns true when it dealt with the completion itself (then no <see cref="Completed"/> is
    /// sent). It lets a hot path skip a message hop — a TCP connection hands received data straight
    /// to its handler — so it must be quick, thread-safe and never block; if it throws, the
    /// completion is delivered as usual.
    /// </param>
    public sealed record Submit(Func<Ring, object, OperationHandle> Start, object? Tag = null, IActorRef? DeliverTo = null, bool AcknowledgeWith = false, Func<Completion, bool>? Intercept = null)
    {
        /// <summary>
        /// The library's own: the delivery (ring user data) to use instead of one the owner makes from
        /// <see cref="DeliverTo"/>, <see cref="Tag"/> and <see cref="Intercept"/> — an object that takes
        /// its completions itself (<see cref="RingLoop.Delivery.TryTake"/>), so the loop reaches it directly.
        /// </summary>
        internal RingLoop.Delivery? Delivery { get; init; }
    }

    /// <summary>Reply to a <see cref="Submit"/> that asked for acknowledgement: the operation is in the ring.</summary>
    /// <param name="Tag">The submission's tag.</param>
    /// <param name="Handle">The operation's handle, for <see cref="Cancel"/>.</param>
    public sealed record Submitted(object? Tag, OperationHandle Handle);

    /// <summary>One completion of a submitted operation.</summary>
    /// <param name="Tag">The submission's tag.</param>
    /// <param name="Completion">The completion (its <see cref="Completion.UserData"/> is the owner's bookkeeping; use <paramref name="Tag"/>).</param>
    public sealed record Completed(object? Tag, Completion Completion);

    /// <summary>A <see cref="Submit"/> the ring refused for a reason other than backpressure (bad arguments, a closed socket…).</summary>
    /// <param name="Tag">The submission's tag.</param>
    /// <param name="Cause">Why.</param>
    public sealed record SubmitFailed(object? Tag, Exception Cause);

    /// <summary>Cancel an operation; its own completion still arrives (ECANCELED) at its recipient.</summary>
    /// <param name="Handle">The handle from <see cref="Submitted"/>.</param>
    public sealed record Cancel(OperationHandle Handle);

    /// <summary>Ask the owner for its <see cref="Ring"/> (for diagnostics and tests); the reply is the ring.</summary>
    public sealed class GetRing
    {
        private GetRing()
        {
        }

        /// <summary>The message.</summary>
        public static GetRing Instance { get; } = new();
    }
}
