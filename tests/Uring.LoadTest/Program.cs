using System.Globalization;
using System.Net;
using Uring.Host.Services;
using Uring.LoadTest;
using Uring.LoadTest.Peers;

// The peers the load tests compare (the host itself is run as its own program), and the echo load
// generator. tests/Uring.LoadTest/run-all.sh runs every comparison, pinned to separate CPUs.
//   server akkaio|ring|sockets http|echo <port> [work-iterations]   (work: SimulatedWork per HTTP request; akkaio and sockets)
//   calibrate <microseconds>                 SimulatedWork iterations that take that long here
//   echo-client <port> <connections> <size> <seconds>
//   soak <port> <connections> <minutes>     long checksummed echo soak with resets (docs/reliability.md)
//   balance <trials> <connections,...> <rings,...>   how evenly connections spread over rings (SO_REUSEPORT vs UringTcp)
switch (args)
{
    case ["server", var peer, var protocol and ("http" or "echo"), var portText, .. var rest] when rest.Length <= 1:
        {
            var http = protocol == "http";
            var port = int.Parse(portText, CultureInfo.InvariantCulture);
            var work = rest.Length == 1 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 0;
            static void Ready(EndPoint endpoint) => Console.WriteLine($"READY {endpoint}");
            switch (peer)
            {
                case "akkaio":
                    await AkkaIoServer.RunAsync(http, port, work, Ready);
                    break;
                case "ring":
                    RingServer.Run(http, port, Ready);
                    break;
                case "sockets":
                    await SocketsServer.RunAsync(http, port, work, Ready);
                    break;
                default:
                    Console.Error.WriteLine($"unknown peer '{peer}': akkaio, ring or sockets");
                    return 2;
            }

            return 0;
        }

    case ["echo-client", var port, var connections, var size, var seconds]:
        return await EchoClient.RunAsync(
            new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)),
            int.Parse(connections, CultureInfo.InvariantCulture),
            int.Parse(size, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));

    case ["soak", var port, var connections, var minutes]:
        return await SoakClient.RunAsync(
            new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)),
            int.Parse(connections, CultureInfo.InvariantCulture),
            TimeSpan.FromMinutes(double.Parse(minutes, CultureInfo.InvariantCulture)));

    case ["calibrate", var microseconds]:
        Console.WriteLine(SimulatedWork.IterationsFor(TimeSpan.FromMicroseconds(double.Parse(microseconds, CultureInfo.InvariantCulture))));
        return 0;

    case ["balance", var trials, var connections, var rings]:
        return await Balance.RunAsync(
            int.Parse(trials, CultureInfo.InvariantCulture),
            [.. connections.Split(',').Select(count => int.Parse(count, CultureInfo.InvariantCulture))],
            [.. rings.Split(',').Select(count => int.Parse(count, CultureInfo.InvariantCulture))]);

    default:
        Console.Error.WriteLine("usage: server akkaio|ring|sockets http|echo <port> [work-iterations] | calibrate <microseconds> | echo-client <port> <connections> <size> <seconds> | soak <port> <connections> <minutes> | balance <trials> <connections,...> <rings,...>");
        return 2;
}
