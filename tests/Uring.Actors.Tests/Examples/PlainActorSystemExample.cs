// The "Without Akka.Hosting" example of docs/actors.md, verbatim between the markers (a test compares
// the two and runs it), so the example cannot rot.
// docs/actors.md example begin
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Uring.Actors;
using Uring.Actors.Tcp;

namespace EchoExample;

/// <summary>Binds through UringTcp and gives every connection its own echo handler.</summary>
public sealed class EchoServer(IPEndPoint endpoint) : UntypedActor
{
    protected override void PreStart() =>
        UringTcp.Get(Context.System).Manager.Tell(new Tcp.Bind(Self, endpoint)); // no configuration needed

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Tcp.Bound bound:
                Context.GetLogger().Info("Listening on {0}", bound.LocalAddress);
                break;
            case Tcp.CommandFailed failed:
                Context.GetLogger().Error("Bind failed{0}", failed.CauseString); // e.g. " because of Address already in use"
                Context.Stop(Self);
                break;
            case Tcp.Connected:
                var connection = Sender; // read it here: the factory below runs later, on the handler's thread
                var handler = Context.ActorOf(FactoryProps.Create(() => new EchoHandler(connection)).WithLoopDispatcherOf(connection));
                connection.Tell(new Tcp.Register(handler));
                break;
        }
    }
}

/// <summary>Echoes what it receives; a line "bye" gets "bye" back and closes the connection.</summary>
public sealed class EchoHandler(IActorRef connection) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Tcp.Received received when received.Data.ToString() == "bye\n":
                connection.Tell(Tcp.Write.Create(received.Data));
                connection.Tell(Tcp.Close.Instance); // after the write: a connection keeps its commands in order
                break;
            case Tcp.Received received:
                connection.Tell(Tcp.Write.Create(received.Data));
                break;
            case Tcp.ConnectionClosed:
                Context.Stop(Self);
                break;
        }
    }
}

/// <summary>Serves until Enter is pressed; call it from your <c>Main</c>.</summary>
public static class EchoProgram
{
    public static async Task RunAsync()
    {
        using var system = ActorSystem.Create("echo");
        system.ActorOf(FactoryProps.Create(() => new EchoServer(new IPEndPoint(IPAddress.Loopback, 7070))), "server");
        Console.ReadLine();
        await system.Terminate();
    }
}
// docs/actors.md example end
