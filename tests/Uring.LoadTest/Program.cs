using System.Globalization;
using System.Net;
using Uring.LoadTest;
using Uring.LoadTest.Peers;

// The peers the load tests compare (the host itself is run as its own program), and the echo load
// generator. tests/Uring.LoadTest/run-all.sh runs every comparison, pinned to separate CPUs.
//   server akkaio|ring|sockets http|echo <port>
//   echo-client <port> <connections> <size> <seconds>
//   soak <port> <connections> <minutes>     long checksummed echo soak with resets (docs/reliability.md)
switch (args)
{
    case ["server", var peer, var protocol and ("http" or "echo"), var portText]:
        {
            var http = protocol == "http";
            var port = int.Parse(portText, CultureInfo.InvariantCulture);
            static void Ready(EndPoint endpoint) => Console.WriteLine($"READY {endpoint}");
            switch (peer)
            {
                case "akkaio":
                    await AkkaIoServer.RunAsync(http, port, Ready);
                    break;
                case "ring":
                    RingServer.Run(http, port, Ready);
                    break;
                case "sockets":
                    await SocketsServer.RunAsync(http, port, Ready);
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

    default:
        Console.Error.WriteLine("usage: server akkaio|ring|sockets http|echo <port> | echo-client <port> <connections> <size> <seconds> | soak <port> <connections> <minutes>");
        return 2;
}
