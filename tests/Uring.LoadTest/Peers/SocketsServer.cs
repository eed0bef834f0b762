using System.Net;
using System.Net.Sockets;
using Uring.Host.Services;

namespace Uring.LoadTest.Peers;

/// <summary>
/// The System.Net.Sockets peer: async accept, one receive/send loop per connection, as a .NET
/// developer would write it; with work iterations, each HTTP request first runs the host's
/// <see cref="SimulatedWork"/>, on whichever thread-pool thread carries the connection.
/// </summary>
internal static class SocketsServer
{
    public static async Task RunAsync(bool http, int port, int workIterations, Action<EndPoint> ready)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        ready(listener.LocalEndPoint!);
        while (true)
        {
            var connection = await listener.AcceptAsync();
            connection.NoDelay = true;
            _ = http ? ServeHttp(connection, workIterations) : ServeEcho(connection);
        }
    }

    private static async Task ServeHttp(Socket connection, int workIterations)
    {
        using (connection)
        {
            var buffer = new byte[4096];
            var counter = default(RequestCounter);
            try
            {
                int read;
                while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    var requests = counter.Count(buffer.AsSpan(0, read));
                    for (var request = 0; request < requests; request++)
                    {
                        SimulatedWork.Run(workIterations);
                    }

                    if (requests > 0)
                    {
                        await connection.SendAsync(HttpResponses.For(requests).AsMemory(), SocketFlags.None);
                    }
                }
            }
            catch (SocketException)
            {
                // The load generator resets connections when it stops.
            }
        }
    }

    private static async Task ServeEcho(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[65536];
            try
            {
                int read;
                while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                }
            }
            catch (SocketException)
            {
                // The load generator resets connections when it stops.
            }
        }
    }
}
