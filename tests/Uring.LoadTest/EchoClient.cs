using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Uring.LoadTest;

/// <summary>
/// The echo load generator (run in its own process): N connections, each sending a message of the
/// given size and waiting for all of it to come back before the next, for a fixed time.
/// </summary>
internal static class EchoClient
{
    internal static async Task<int> RunAsync(IPEndPoint server, int connections, int size, TimeSpan duration)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < connections; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server);
            sockets.Add(socket);
        }

        using var stop = new CancellationTokenSource(duration);
        long messages = 0;
        var clock = Stopwatch.StartNew();
        var loops = sockets.Select(socket => Task.Run(async () =>
        {
            var payload = new byte[size];
            var echo = new byte[size];
            Random.Shared.NextBytes(payload);
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(payload, SocketFlags.None);
                await SocketReads.ReceiveExactly(socket, echo);

                if (!echo.AsSpan().SequenceEqual(payload))
                {
                    throw new InvalidOperationException("corrupted echo");
                }

                Interlocked.Increment(ref messages);
            }
        })).ToList();
        await Task.WhenAll(loops);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"connections={connections} size={size} messages={messages} msg/s={messages / seconds:F0} MB/s={messages * (double)size * 2 / seconds / 1e6:F1}");
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return 0;
    }
}
