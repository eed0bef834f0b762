using Akka.Actor;
using Akka.Dispatch.SysMsg;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// The connection as its handler sees it: the sender of <see cref="AkkaTcp.Connected"/>, of every
/// <see cref="AkkaTcp.Received"/> and of write acks. A <see cref="AkkaTcp.Write"/> told to it goes
/// straight into the connection's <see cref="ConnectionWriter"/> on the teller's thread — no message
/// to the connection actor — so an answered request costs one actor message, the
/// <c>Received</c>. Everything else (and a write the writer does not take: before
/// <see cref="AkkaTcp.Register"/>, while closing) goes to the connection actor as usual.
/// <para>It has the actor's path, so it equals the actor's own reference: death watch, <c>Sender</c>
/// comparisons and dictionaries treat the two as one. Order holds for each teller: while anything it
/// forwarded waits in the actor's mailbox, writes take that path too.</para>
/// </summary>
internal sealed class ConnectionRef : MinimalActorRef
{
    private readonly IInternalActorRef _actor;
    private int _forwardedInMailbox;

    /// <summary>The face of <paramref name="actor"/>, with a writer sending <paramref name="socket"/>'s bytes on the loop of <paramref name="ring"/>.</summary>
    internal ConnectionRef(IInternalActorRef actor, RingShard ring, System.Net.Sockets.Socket socket, ConnectionActivity activity, long maxQueuedBytes)
    {
        _actor = actor;
        Shard = ring;
        Socket = socket;
        Writer = new ConnectionWriter(ring.Loop, socket, actor, this, activity, ring.MetricTag, maxQueuedBytes);
    }

    /// <summary>The connection's writer.</summary>
    internal ConnectionWriter Writer { get; }

    /// <summary>The ring the connection lives on.</summary>
    internal RingShard Shard { get; }

    /// <summary>The connection's socket (for its options; its operations belong to the connection).</summary>
    internal System.Net.Sockets.Socket Socket { get; }

    /// <summary><paramref name="connection"/> as a UringTcp connection.</summary>
    /// <exception cref="ArgumentException">It is not one: the message says what to pass instead.</exception>
    internal static ConnectionRef Of(IActorRef connection, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(connection))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(connection, parameterName);
        return connection as ConnectionRef ?? throw new ArgumentException(
            $"{connection.Path} is not a UringTcp connection. Pass the sender of the Tcp.Connected (or Tcp.Received) that UringTcp's manager sent you.",
            parameterName);
    }

    /// <inheritdoc />
    public override ActorPath Path => _actor.Path;

    /// <inheritdoc />
    public override IActorRefProvider Provider => _actor.Provider;

    /// <inheritdoc />
    public override void SendSystemMessage(ISystemMessage message) => _actor.SendSystemMessage(message);

    /// <inheritdoc />
    public override void Stop() => _actor.Stop();

    /// <summary>The connection actor finished a message that came through this reference.</summary>
    internal void Processed() => Interlocked.Decrement(ref _forwardedInMailbox);

    /// <inheritdoc />
    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is AkkaTcp.Write or UringTcp.WriteOwned && Volatile.Read(ref _forwardedInMailbox) == 0)
        {
            var commander = sender ?? Provider.DeadLetters;
            var admission = message is AkkaTcp.Write write ? Writer.TryEnqueue(write, commander) : Writer.TryEnqueue((UringTcp.WriteOwned)message, commander);
            switch (admission)
            {
                case ConnectionWriter.Admission.Queued:
                    return;
                case ConnectionWriter.Admission.OverLimit:
                    (message as UringTcp.WriteOwned)?.Data.Dispose(); // refused for good: the connection owned it
                    commander.Tell(TcpFailure.Of((AkkaTcp.Command)message, TcpFailure.QueueFull(Writer.MaxQueuedBytes)), this);
                    return;
            }
        }

        if (message is IAutoReceivedMessage)
        {
            _actor.Tell(message, sender); // PoisonPill, Kill, Identify: the actor cell handles them itself, unwrapped
            return;
        }

        Interlocked.Increment(ref _forwardedInMailbox);
        _actor.Tell(new Forwarded(message), sender);
    }

    /// <summary>A message told to the reference, on its way to the connection actor, which unwraps it (dead-letter logs show the message itself).</summary>
    internal sealed record Forwarded(object Message) : IWrappedMessage
    {
        /// <inheritdoc />
        public override string ToString() => Message.ToString() ?? string.Empty;
    }
}
