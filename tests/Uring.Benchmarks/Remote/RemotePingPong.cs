using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Uring.Remote;

namespace Uring.Benchmarks.Remote;

/// <summary>
/// Akka's RemotePingPong shape over two transports in the same run: N pairs of actors across two
/// ActorSystems on loopback (echoes deployed on the second system, pingers on the first), each pair
/// exchanging small string messages with 50 in flight. Reports messages per second and process CPU
/// per message (both systems live in this process, so the CPU is the whole exchange's).
/// <c>dotnet run -c Release --project tests/Uring.Benchmarks -- remote-pingpong [messages] [rounds] [ring count per node]</c>.
/// </summary>
internal static class RemotePingPong
{
    private const int Window = 50;
    private static readonly int[] PairCounts = [1, 10, 100];

    /// <summary>The transports compared: ours, and Akka.Remote's default.</summary>
    private enum Transport
    {
        Uring,
        DotNetty,
    }

    internal static async Task RunAsync(long messages, int rounds, string ringCount)
    {
        Console.WriteLine($"RemotePingPong: {messages:N0} messages per measurement, {rounds} rounds, {Environment.ProcessorCount} CPUs, uring.ring.count = {ringCount} per node");
        foreach (var transport in Enum.GetValues<Transport>())
        {
            await Measure(transport, 10, messages / 10, ringCount); // warm-up: JIT, thread pool, socket buffers
        }

        var results = new List<(int Round, int Pairs, Transport Transport, Result Result)>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var pairs in PairCounts)
            {
                // Alternate which transport goes first, so drift on a noisy machine falls on both.
                var order = round % 2 == 1 ? [Transport.Uring, Transport.DotNetty] : new[] { Transport.DotNetty, Transport.Uring };
                foreach (var transport in order)
                {
                    var result = await Measure(transport, pairs, messages, ringCount);
                    results.Add((round, pairs, transport, result));
                    Console.WriteLine($"round {round}  pairs {pairs,3}  {transport,-8}  {result.MessagesPerSecond,10:N0} msg/s  {result.CpuMicrosecondsPerMessage,6:F2} µs CPU/msg");
                }
            }
        }

        Console.WriteLine();
        // The ratio is the median of the per-round ratios: each round's two peers ran back to back,
        // so their ratio cancels most of the machine's drift, which the medians of each peer do not.
        Console.WriteLine("| pairs | Uring msg/s | DotNetty msg/s | Uring ÷ DotNetty, median (per round) | Uring CPU µs/msg | DotNetty CPU µs/msg |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var pairs in PairCounts)
        {
            Result[] Of(Transport transport) => [.. results.Where(r => r.Pairs == pairs && r.Transport == transport).OrderBy(r => r.Round).Select(r => r.Result)];
            var (uring, dotNetty) = (Of(Transport.Uring), Of(Transport.DotNetty));
            var ratios = uring.Zip(dotNetty, (u, d) => u.MessagesPerSecond / d.MessagesPerSecond).ToArray();
            var perRound = string.Join(" / ", ratios.Select(r => $"{r:F2}"));
            var ratio = Median(ratios);
            Console.WriteLine($"| {pairs} | {Median(uring.Select(r => r.MessagesPerSecond)):N0} | {Median(dotNetty.Select(r => r.MessagesPerSecond)):N0} | **{ratio:F2}×** ({perRound}) | {Median(uring.Select(r => r.CpuMicrosecondsPerMessage)):F2} | {Median(dotNetty.Select(r => r.CpuMicrosecondsPerMessage)):F2} |");
        }
    }

    private static async Task<Result> Measure(Transport transport, int pairs, long messages, string ringCount)
    {
        var roundTrips = Math.Max(1, messages / 2 / pairs);
        var pinging = ActorSystem.Create("pinging", NodeConfig(transport, ringCount));
        var echoing = ActorSystem.Create("echoing", NodeConfig(transport, ringCount));
        try
        {
            var echoAddress = ((ExtendedActorSystem)echoing).Provider.DefaultAddress;
            var echoProps = Props.Create<EchoActor>().WithDeploy(new Deploy(new RemoteScope(echoAddress)));
            var done = new List<Task>();
            var pingers = new List<IActorRef>();
            for (var pair = 0; pair < pairs; pair++)
            {
                var echo = pinging.ActorOf(echoProps, $"echo-{pair}");
                await echo.Ask<ActorIdentity>(new Identify(pair), TimeSpan.FromSeconds(30)); // deployed and associated
                var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                done.Add(completion.Task);
                pingers.Add(pinging.ActorOf(Props.Create(() => new PingActor(echo, roundTrips, completion)), $"ping-{pair}"));
            }

            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            pingers.ForEach(pinger => pinger.Tell(new PingActor.Start(Window)));
            await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(5));
            clock.Stop();
            process.Refresh();
            var total = roundTrips * pairs * 2;
            return new Result(total / clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / total);
        }
        finally
        {
            // The pinging side first: the echoes were deployed from it, and their system stays up
            // to take its disassociation rather than send to a remoting already stopped.
            await pinging.Terminate();
            await echoing.Terminate();
        }
    }

    private static Config NodeConfig(Transport transport, string ringCount)
    {
        var common = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.loglevel = ERROR
            akka.log-dead-letters = off
            akka.remote.log-remote-lifecycle-events = off
            """);
        return transport switch
        {
            Transport.Uring => ConfigurationFactory.ParseString($"akka.remote.uring {{ hostname = 127.0.0.1, port = 0 }}\nuring.ring.count = {ringCount}")
                .WithFallback(common).WithFallback(UringRemoting.Enabled),
            _ => ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }").WithFallback(common),
        };
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private readonly record struct Result(double MessagesPerSecond, double CpuMicrosecondsPerMessage);
}
