using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.LoadTest;

/// <summary>
/// How evenly connections spread over rings (docs/performance.md, "Listener
/// placement"): the busiest ring's connections over the mean, for the two designs of issue 19.
/// <list type="bullet">
/// <item><c>reuseport</c>: one SO_REUSEPORT listening socket per ring, so the kernel picks a socket by
/// hashing each connection's 4-tuple (what a ring with its own multishot accept would get).</item>
/// <item><c>uring</c>: UringTcp as shipped: one listener, each connection placed on the ring with the fewest.</item>
/// </list>
/// Each trial opens <c>connections</c> loopback connections at once from fresh ephemeral ports.
/// </summary>
internal static class Balance
{
    internal static async Task<int> RunAsync(int trials, int[] connectionCounts, int[] ringCounts)
    {
        Console.WriteLine("# placement | rings | connections | busiest ring / mean: median of trials | worst trial | trials");
        foreach (var connections in connectionCounts)
        {
            foreach (var rings in ringCounts)
            {
                var reuseport = new List<double>();
                var uring = new List<double>();
                for (var trial = 0; trial < trials; trial++)
                {
                    reuseport.Add(BusiestOverMean(await ReusePortCounts(rings, connections)));
                    uring.Add(BusiestOverMean(await UringCounts(rings, connections)));
                }

                Report("reuseport", rings, connections, reuseport);
                Report("uring", rings, connections, uring);
            }
        }

        return 0;
    }

    private static void Report(string placement, int rings, int connections, List<double> ratios)
    {
        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{placement} | {rings} | {connections} | {ratios[ratios.Count / 2]:F2} | {ratios[^1]:F2} | {ratios.Count}"));
    }

    private static double BusiestOverMean(int[] perRing) => perRing.Max() / perRing.Average();

    /// <summary>Connections each of <paramref name="rings"/> SO_REUSEPORT sockets on one port accepted.</summary>
    private static async Task<int[]> ReusePortCounts(int rings, int connections)
    {
        var listeners = new List<Socket>();
        try
        {
            var port = 0;
            for (var i = 0; i < rings; i++)
            {
                var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.SetRawSocketOption(1 /* SOL_SOCKET */, 15 /* SO_REUSEPORT */, BitConverter.GetBytes(1));
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                listener.Listen(connections);
                port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                listeners.Add(listener);
            }

            var clients = await ConnectAll(new IPEndPoint(IPAddress.Loopback, port), connections);
            var counts = listeners.Select(listener =>
            {
                var accepted = 0;
                while (listener.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
                {
                    listener.Accept().Dispose();
                    accepted++;
                }

                return accepted;
            }).ToArray();
            Array.ForEach(clients, client => client.Dispose());
            return counts;
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }
    }

    /// <summary>Connections UringTcp placed on each of <paramref name="rings"/> rings.</summary>
    private static async Task<int[]> UringCounts(int rings, int connections)
    {
        using var system = ActorSystem.Create("balance", $"uring.ring.count = {rings}\nakka.loglevel = WARNING");
        var placed = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Counter(UringTcp.Get(system), rings, connections, bound, placed)));
        var clients = await ConnectAll((IPEndPoint)await bound.Task, connections);
        var counts = await placed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Array.ForEach(clients, client => client.Dispose());
        await system.Terminate();
        return counts;
    }

    private static async Task<Socket[]> ConnectAll(IPEndPoint endpoint, int connections) =>
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(endpoint);
            return client;
        }));

    /// <summary>Binds, and counts the ring of each connection until all have arrived.</summary>
    private sealed class Counter : ReceiveActor
    {
        public Counter(UringTcpExtension uring, int rings, int connections, TaskCompletionSource<EndPoint> bound, TaskCompletionSource<int[]> placed)
        {
            var counts = new int[rings];
            var seen = 0;
            uring.Manager.Tell(new AkkaTcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0), backlog: connections));
            Receive<AkkaTcp.Bound>(message => bound.SetResult(message.LocalAddress));
            Receive<AkkaTcp.Connected>(_ =>
            {
                counts[uring.RingOf(Sender)]++;
                Sender.Tell(new AkkaTcp.Register(Context.System.DeadLetters));
                if (++seen == connections)
                {
                    placed.SetResult(counts);
                }
            });
        }
    }
}
