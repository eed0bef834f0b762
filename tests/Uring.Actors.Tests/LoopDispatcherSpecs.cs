using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>Handlers deployed on <c>uring.loop-dispatcher</c>: they run on the ring owner's loop thread and keep Akka.IO's protocol.</summary>
public sealed class LoopDispatcherSpecs : UringSpec
{
    [Fact]
    public async Task A_handler_on_the_loop_dispatcher_runs_on_the_ring_loop_thread_and_echoes_in_order()
    {
        var manager = UringTcp.Get(Sys).Manager;
        var handlerProps = FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher);
        var (client, connection) = await ConnectAndRegister(manager, Sys.ActorOf(handlerProps));
        using (client)
        {
            var sent = new StringBuilder();
            for (var i = 0; i < 200; i++)
            {
                var line = $"message {i}\n";
                sent.Append(line);
                await client.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None);
            }

            var echoed = await SocketReads.ReceiveExactly(client, sent.Length);
            Assert.Equal(sent.ToString(), Encoding.ASCII.GetString(echoed));

            var thread = ExpectMsg<string>(TimeSpan.FromSeconds(10));
            Assert.StartsWith("uring-loop-", thread, StringComparison.Ordinal);
            Watch(connection);
            client.Shutdown(SocketShutdown.Send);
            ExpectTerminated(connection, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void Several_actors_on_the_loop_dispatcher_share_the_one_ring_loop_thread()
    {
        UringTcp.Get(Sys); // the extension brings the uring configuration, and so the dispatcher
        var first = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher));
        var second = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher));

        first.Tell("which thread");
        var firstThread = ExpectMsg<string>(TimeSpan.FromSeconds(10));
        second.Tell("which thread");
        var secondThread = ExpectMsg<string>(TimeSpan.FromSeconds(10));

        Assert.StartsWith("uring-loop-", firstThread, StringComparison.Ordinal);
        Assert.Equal(firstThread, secondThread);
    }

    [Fact]
    public async Task The_loop_dispatcher_keeps_an_inhabitant_after_its_last_handler_stopped_so_Akka_schedules_no_shutdown_for_it()
    {
        UringTcp.Get(Sys);
        var dispatcher = Sys.Dispatchers.Lookup(UringSettings.LoopDispatcher);
        await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 1), TimeSpan.FromSeconds(10)); // the ring owner's anchor

        var handler = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher));
        await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 2), TimeSpan.FromSeconds(10));
        Watch(handler);
        Sys.Stop(handler);
        ExpectTerminated(handler, TimeSpan.FromSeconds(10));

        // Akka schedules a dispatcher's shutdown, starting its scheduler's 10 ms tick for good, only when none is left.
        await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 1), TimeSpan.FromSeconds(10));
    }

    /// <summary>Akka's own count of the actors attached to <paramref name="dispatcher"/> (an internal property; Akka.NET 1.5).</summary>
    private static long InhabitantsOf(Akka.Dispatch.MessageDispatcher dispatcher) =>
        (long)typeof(Akka.Dispatch.MessageDispatcher)
            .GetProperty("Inhabitants", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!
            .GetValue(dispatcher)!;

    /// <summary>Echoes every Received, and tells the probe its thread's name once.</summary>
    private sealed class ThreadReportingEcho(IActorRef probe) : UntypedActor
    {
        private bool _reported;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Tcp.Received received:
                    Report();
                    Sender.Tell(Tcp.Write.Create(received.Data));
                    break;
                case "which thread":
                    Report();
                    break;
                case Tcp.ConnectionClosed:
                    Context.Stop(Self);
                    break;
            }
        }

        private void Report()
        {
            if (!_reported)
            {
                _reported = true;
                probe.Tell(Thread.CurrentThread.Name ?? "(unnamed)");
            }
        }
    }
}
