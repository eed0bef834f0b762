using System.Net.Sockets;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

public sealed class EchoServiceTests
{
    [Theory]
    [InlineData(true)] // as shipped: leases written back without a copy
    [InlineData(false)] // Akka.IO's copied Received and Write
    public async Task The_echo_service_sends_back_every_byte_a_TcpClient_writes(bool leasedReceive)
    {
        await using var host = await RunningHost.StartAsync($"--Uring:Tcp:LeasedReceive={leasedReceive}");
        using var client = new TcpClient();
        await client.ConnectAsync(await host.EndpointOf("echo"));
        var stream = client.GetStream();

        var payload = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        var writing = stream.WriteAsync(payload).AsTask();
        var echoed = new byte[payload.Length];
        await stream.ReadExactlyAsync(echoed).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await writing;

        Assert.Equal(payload, echoed);
    }

    [Fact]
    public async Task The_echo_service_serves_many_clients_at_once()
    {
        await using var host = await RunningHost.StartAsync();
        var endpoint = await host.EndpointOf("echo");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async client =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint);
            var stream = tcp.GetStream();
            for (var round = 0; round < 10; round++)
            {
                var message = BitConverter.GetBytes((client * 1000) + round);
                await stream.WriteAsync(message);
                var echoed = new byte[message.Length];
                await stream.ReadExactlyAsync(echoed);
                Assert.Equal(message, echoed);
            }
        })).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
