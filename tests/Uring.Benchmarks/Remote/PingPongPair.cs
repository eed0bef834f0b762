using Akka.Actor;

namespace Uring.Benchmarks.Remote;

/// <summary>Sends every message it gets back to its sender: the far end of a pair.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message));
}

/// <summary>
/// The near end of a pair: keeps <c>window</c> messages in flight to its echo until
/// <c>roundTrips</c> replies have come back, then completes <c>done</c>. A window rather than one
/// message at a time lets the remoting writer batch, as Akka's own RemotePingPong does.
/// </summary>
internal sealed class PingActor : ReceiveActor
{
    /// <summary>Starts the exchange.</summary>
    internal sealed record Start(int Window);

    public PingActor(IActorRef echo, long roundTrips, TaskCompletionSource done)
    {
        long sent = 0, received = 0;
        Receive<Start>(start =>
        {
            for (; sent < Math.Min(start.Window, roundTrips); sent++)
            {
                echo.Tell("ping");
            }
        });
        Receive<string>(_ =>
        {
            if (++received == roundTrips)
            {
                done.TrySetResult();
            }
            else if (sent < roundTrips)
            {
                sent++;
                echo.Tell("ping");
            }
        });
    }
}
