using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;
using Uring.LoadTest;

// dotnet run -c Release --project tests/Uring.LoadTest -- echo-server uring|akkaio <port>
// dotnet run -c Release --project tests/Uring.LoadTest -- echo-client <port> <connections> <size> <seconds>
// tests/Uring.LoadTest/run-echo.sh runs both, pinned to different CPUs, for every peer.
switch (args)
{
    case ["echo-server", var kind, var port]:
        {
            using var system = ActorSystem.Create("loadtest", "akka.loglevel = WARNING");
            var manager = kind switch
            {
                "uring" => UringTcp.Get(system).Manager,
                "akkaio" => system.Tcp(),
                _ => throw new ArgumentException($"unknown server kind '{kind}': uring or akkaio"),
            };
            var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new EchoServer(manager, int.Parse(port, CultureInfo.InvariantCulture), bound)));
            Console.WriteLine($"READY {await bound.Task}");
            await Task.Run(Console.In.ReadLine); // runs until stdin closes (Console reads block: keep them off the actors' threads)
            await system.Terminate();
            return 0;
        }

    case ["echo-client", var port, var connections, var size, var seconds]:
        return await EchoClient.RunAsync(
            new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)),
            int.Parse(connections, CultureInfo.InvariantCulture),
            int.Parse(size, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));

    default:
        Console.Error.WriteLine("usage: echo-server uring|akkaio <port> | echo-client <port> <connections> <size> <seconds>");
        return 2;
}
