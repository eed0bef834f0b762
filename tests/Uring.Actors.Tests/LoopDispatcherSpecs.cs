using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Handlers deployed on a ring's loop (<c>uring.loop-dispatcher</c>, which follows the connection,
/// or the connection's own <c>uring.loop-dispatcher-N</c>): they run on the loop thread of the ring
/// their connection lives on, and keep Akka.IO's protocol.
/// </summary>
public abstract class LoopDispatcherSpecs(int rings) : UringSpec(rings: rings)
{
    public static TheoryData<bool> HowHandlersNameTheLoop => [true, false];

    [Theory]
    [MemberData(nameof(HowHandlersNameTheLoop))]
    public async Task Handlers_on_the_loop_run_on_their_own_connections_ring_loop_and_echo_in_order(bool byConnection)
    {
        var manager = UringTcp.Get(Sys).Manager;
        Func<IActorRef, Props> handler = connection => byConnection
            ? FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithLoopDispatcherOf(connection)
            : FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher);
        Sys.ActorOf(Props.Create(() => new PerConnectionServer(manager, TestActor, handler)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;

        // Two connections per ring: each handler must run where its own connection lives.
        var connections = 2 * RingCount;
        for (var c = 0; c < connections; c++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(endpoint);
            var sent = new StringBuilder();
            for (var i = 0; i < 50; i++)
            {
                var line = $"connection {c} message {i}\n";
                sent.Append(line);
                await client.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None);
            }

            var echoed = await SocketReads.ReceiveExactly(client, sent.Length);
            Assert.Equal(sent.ToString(), Encoding.ASCII.GetString(echoed));
            client.Shutdown(SocketShutdown.Send);
        }

        // Named by its connection, a handler is on the right loop from its first message; following
        // its connection, from the first message after its Register (the one before may have run
        // where it was created), so by its connection's end at the latest.
        var reports = ReceiveN(2 * connections, TimeSpan.FromSeconds(10)).Cast<ThreadReport>().ToList();
        var rings = reports.Where(report => report.Ring >= 0).Select(report => report.Ring).ToList();
        Assert.Equal(Enumerable.Range(0, RingCount).SelectMany(ring => new[] { ring, ring }), rings.Order());
        foreach (var handlerReports in reports.GroupBy(report => report.Handler))
        {
            var first = Assert.Single(handlerReports, report => report.Ring >= 0);
            var last = Assert.Single(handlerReports, report => report.Ring < 0);
            Assert.Equal($"uring-ring-{first.Ring}", last.Thread);
            if (byConnection)
            {
                Assert.Equal($"uring-ring-{first.Ring}", first.Thread);
            }
        }
    }

    [Fact]
    public void Actors_on_the_loop_dispatcher_that_handle_no_connection_share_ring_zeros_loop()
    {
        UringTcp.Get(Sys); // the extension brings the uring configuration, and so the dispatcher
        var first = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher));
        var second = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcher));

        first.Tell(WhichThread.Instance);
        var firstThread = ExpectMsg<ThreadReport>(TimeSpan.FromSeconds(10)).Thread;
        second.Tell(WhichThread.Instance);
        var secondThread = ExpectMsg<ThreadReport>(TimeSpan.FromSeconds(10)).Thread;

        Assert.Equal("uring-ring-0", firstThread);
        Assert.Equal(firstThread, secondThread);
    }

    [Fact]
    public void An_actor_on_a_rings_own_loop_dispatcher_runs_on_that_rings_loop()
    {
        UringTcp.Get(Sys);
        var last = RingCount - 1;
        var actor = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(UringSettings.LoopDispatcherOf(last)));

        actor.Tell(WhichThread.Instance);

        Assert.Equal($"uring-ring-{last}", ExpectMsg<ThreadReport>(TimeSpan.FromSeconds(10)).Thread);
    }

    [Fact]
    public void Props_cannot_name_the_loop_of_something_that_is_not_a_uring_connection()
    {
        var error = Assert.Throws<ArgumentException>(() => Props.Empty.WithLoopDispatcherOf(TestActor));

        Assert.Equal("connection", error.ParamName);
        Assert.Contains("Tcp.Connected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_loop_dispatcher_keeps_an_inhabitant_after_its_last_handler_stopped_so_Akka_schedules_no_shutdown_for_it()
    {
        UringTcp.Get(Sys);
        foreach (var id in Enumerable.Range(0, RingCount).Select(UringSettings.LoopDispatcherOf).Prepend(UringSettings.LoopDispatcher))
        {
            var dispatcher = Sys.Dispatchers.Lookup(id);
            await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 1), TimeSpan.FromSeconds(10)); // a ring owner's anchor

            var handler = Sys.ActorOf(FactoryProps.Create(() => new ThreadReportingEcho(TestActor)).WithDispatcher(id));
            await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 2), TimeSpan.FromSeconds(10));
            Watch(handler);
            Sys.Stop(handler);
            ExpectTerminated(handler, TimeSpan.FromSeconds(10));

            // Akka schedules a dispatcher's shutdown only when none is left.
            await AwaitConditionAsync(() => Task.FromResult(InhabitantsOf(dispatcher) == 1), TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Akka's own count of the actors attached to <paramref name="dispatcher"/> (an internal property; Akka.NET 1.5).</summary>
    private static long InhabitantsOf(Akka.Dispatch.MessageDispatcher dispatcher) =>
        (long)typeof(Akka.Dispatch.MessageDispatcher)
            .GetProperty("Inhabitants", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!
            .GetValue(dispatcher)!;

    /// <summary>Which thread <paramref name="Handler"/> ran on, and which ring its connection lives on (-1: not said).</summary>
    private sealed record ThreadReport(IActorRef Handler, string Thread, int Ring);

    /// <summary>Asks <see cref="ThreadReportingEcho"/> for a report.</summary>
    private sealed class WhichThread
    {
        public static WhichThread Instance { get; } = new();
    }

    /// <summary>A bind handler that gives each connection a handler of its own, made from the connection (as the host's services do).</summary>
    private sealed class PerConnectionServer : ReceiveActor
    {
        public PerConnectionServer(IActorRef manager, IActorRef reportTo, Func<IActorRef, Props> handler)
        {
            manager.Tell(new Tcp.Bind(Self, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)));
            Receive<Tcp.Bound>(bound => reportTo.Tell(bound));
            Receive<Tcp.Connected>(_ =>
            {
                var connection = Sender;
                connection.Tell(new Tcp.Register(Context.ActorOf(handler(connection))));
            });
        }
    }

    /// <summary>Echoes every Received; reports its thread (and its connection's ring) at its first Received, when its connection closes, and when asked.</summary>
    private sealed class ThreadReportingEcho(IActorRef probe) : UntypedActor
    {
        private bool _received;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Tcp.Received received:
                    if (!_received)
                    {
                        _received = true;
                        Report(UringTcp.Get(Context.System).RingOf(Sender));
                    }

                    Sender.Tell(Tcp.Write.Create(received.Data));
                    break;
                case WhichThread:
                    Report(-1);
                    break;
                case Tcp.ConnectionClosed:
                    Report(-1);
                    Context.Stop(Self);
                    break;
            }
        }

        private void Report(int ring) => probe.Tell(new ThreadReport(Self, Thread.CurrentThread.Name ?? "(unnamed)", ring));
    }
}

public sealed class LoopDispatcherSpecsOnOneRing() : LoopDispatcherSpecs(1);

public sealed class LoopDispatcherSpecsOnSeveralRings() : LoopDispatcherSpecs(SeveralRings);

/// <summary>
/// The loop dispatcher exists once the <c>uring</c> configuration is in the actor system: made by
/// the extension, by <c>akka.extensions</c> at start, or by <see cref="UringTcp.WithLoopDispatcher"/>.
/// An actor system that has none of them refuses the dispatcher, which is the order that used to trap users.
/// </summary>
public sealed class LoopDispatcherBeforeTheExtensionSpecs
{
    public static TheoryData<string> WaysToHaveTheDispatcherBeforeAnyUringTcpGet => ["akka.extensions", "WithLoopDispatcher"];

    [Theory]
    [MemberData(nameof(WaysToHaveTheDispatcherBeforeAnyUringTcpGet))]
    public async Task An_actor_on_the_loop_dispatcher_can_be_the_first_thing_an_actor_system_creates(string way)
    {
        var config = way == "akka.extensions" ? $"akka.extensions = [\"{typeof(UringTcpExtensionProvider).AssemblyQualifiedName}\"]" : string.Empty;
        using var system = ActorSystem.Create("first", $"{config}\nakka.loglevel = WARNING");
        var props = Props.Create(() => new ThreadReporter());

        var first = system.ActorOf(way == "akka.extensions" ? props.WithDispatcher(UringSettings.LoopDispatcher) : props.WithLoopDispatcher(system));

        var thread = await first.Ask<string>("where", TimeSpan.FromSeconds(10));
        Assert.StartsWith("uring-ring-", thread, StringComparison.Ordinal); // not registered for a connection yet: a ring's loop
        await system.Terminate();
    }

    [Fact]
    public void Without_the_uring_configuration_Akka_refuses_the_loop_dispatcher_by_name()
    {
        using var system = ActorSystem.Create("plain", "akka.loglevel = OFF");

        var error = Assert.ThrowsAny<Exception>(() => system.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(UringSettings.LoopDispatcher)));

        Assert.Contains("uring.loop-dispatcher", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<string>(_ => Sender.Tell(Thread.CurrentThread.Name ?? "unnamed"));
    }
}
