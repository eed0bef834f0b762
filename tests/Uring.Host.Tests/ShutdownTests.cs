using System.Net;
using System.Net.Sockets;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

public sealed class ShutdownTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stopping_the_host_closes_open_connections_with_FIN_and_stops_listening()
    {
        var host = await RunningHost.StartAsync();
        var echo = await host.EndpointOf("echo");
        var clients = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ConnectedEchoClient(echo)));

        await host.DisposeAsync();

        foreach (var client in clients)
        {
            // A graceful close reads as end of stream; an abortive one would throw ECONNRESET.
            Assert.Equal(0, await client.ReceiveAsync(new byte[16]).WaitAsync(Patience));
            client.Dispose();
        }

        using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(echo));
    }

    [Fact]
    public async Task SIGTERM_stops_the_program_gracefully_with_exit_code_0()
    {
        using var program = HostProcess.Start(["--Uring:Services:Echo:Endpoint=127.0.0.1:0", "--Uring:Services:Http:Endpoint=127.0.0.1:0"]);
        var listening = program.WaitForLine(@"Service echo listening on (\S+)", Patience);
        using var client = await ConnectedEchoClient(IPEndPoint.Parse(listening.Groups[1].Value));

        program.Signal("TERM");

        Assert.Equal(0, await client.ReceiveAsync(new byte[16]).WaitAsync(Patience));
        Assert.Equal(0, program.WaitForExit(Patience));
        Assert.Contains("io_uring available", program.Output, StringComparison.Ordinal);
        Assert.Contains("Ring", program.Output, StringComparison.Ordinal);
    }

    /// <summary>A client that has had one message echoed, so its connection is fully established and read from.</summary>
    private static async Task<Socket> ConnectedEchoClient(EndPoint echo)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(echo);
        await socket.SendAsync("ping"u8.ToArray());
        var echoed = new byte[4];
        var received = 0;
        while (received < echoed.Length)
        {
            received += await socket.ReceiveAsync(echoed.AsMemory(received));
        }

        return socket;
    }
}
