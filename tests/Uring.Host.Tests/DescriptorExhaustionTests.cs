using System.Net;
using System.Net.Sockets;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

/// <summary>
/// EMFILE on accept, for real: the program runs under a lowered <c>RLIMIT_NOFILE</c> (prlimit), and
/// the test opens more connections than it has descriptors left.
/// </summary>
public sealed class DescriptorExhaustionTests
{
    private const int DescriptorLimit = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_listener_survives_running_out_of_descriptors_and_accepts_again_when_they_free_up()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/prlimit"), "needs prlimit (util-linux) to lower the program's descriptor limit");
        using var program = HostProcess.Start(
            ["--Uring:Services:Echo:Endpoint=127.0.0.1:0", "--Uring:Services:Http:Enabled=false", "--Uring:Tcp:ReceiveBufferCount=2", "--Uring:Tcp:ReceiveBufferSize=1024"],
            // A fixed thread pool: the runtime cannot start a thread without descriptors (below).
            ["/usr/bin/env", "DOTNET_ThreadPool_ForceMinWorkerThreads=8", "DOTNET_ThreadPool_ForceMaxWorkerThreads=8",
             "/usr/bin/prlimit", $"--nofile={DescriptorLimit}:{DescriptorLimit}"]);
        var echo = IPEndPoint.Parse(program.WaitForLine(@"Service echo listening on (\S+)", Patience).Groups[1].Value);

        // The runtime itself needs descriptors to start threads (the thread pool's gate thread reads
        // /proc/stat; a new thread takes a pipe), and .NET ends the process with "Out of memory" when
        // it cannot. So the pool is fixed at 8 workers, and busied first, so that every thread it will
        // have is started before the descriptors run out.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var warmUp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await warmUp.ConnectAsync(echo);
            for (var i = 0; i < 50; i++)
            {
                await AssertEchoes(warmUp);
            }
        }));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the warm-up's connections close
        var spare = DescriptorLimit - Directory.GetFiles($"/proc/{program.Id}/fd").Length;
        Assert.True(spare > 0, $"the program already uses {DescriptorLimit - spare} descriptors");

        // More connections than descriptors: the kernel completes every handshake (the backlog), but
        // the program can accept only `spare` of them.
        var clients = new List<Socket>();
        for (var i = 0; i < spare + 30; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(echo);
            clients.Add(client);
        }

        program.WaitForLine("out of file descriptors", Patience);
        await AssertEchoes(clients[0]);

        // Free descriptors: close the first 60 connections; the listener accepts the waiting ones.
        foreach (var client in clients.Take(60))
        {
            client.Dispose();
        }

        var waited = clients[^1]; // the last to connect: certainly one that could not be accepted before
        await AssertEchoes(waited);
        foreach (var client in clients.Skip(60))
        {
            client.Dispose();
        }

        program.Signal("TERM");
        Assert.Equal(0, program.WaitForExit(Patience));
    }

    private static async Task AssertEchoes(Socket client)
    {
        var message = "are you there?"u8.ToArray();
        await client.SendAsync(message);
        var echoed = new byte[message.Length];
        var received = 0;
        while (received < echoed.Length)
        {
            var read = await client.ReceiveAsync(echoed.AsMemory(received)).AsTask().WaitAsync(Patience);
            Assert.True(read > 0, "the program closed the connection");
            received += read;
        }

        Assert.Equal(message, echoed);
    }
}
