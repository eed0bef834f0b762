using System.Net;
using System.Net.Sockets;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

/// <summary>The host's rings (<c>Uring:Ring:Count</c>): one per CPU unless configured, each named in the start log.</summary>
public sealed class RingCountTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public async Task The_program_runs_one_ring_per_cpu_or_the_configured_count_and_logs_each_ring_at_start(int? count)
    {
        var expected = count ?? Environment.ProcessorCount;
        string[] args = ["--Uring:Services:Echo:Endpoint=127.0.0.1:0", "--Uring:Services:Http:Endpoint=127.0.0.1:0"];
        using var program = HostProcess.Start(count is { } n ? [.. args, $"--Uring:Ring:Count={n}"] : args);
        var listening = program.WaitForLine(@"Service echo listening on (\S+)", Patience);
        using (var client = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPEndPoint.Parse(listening.Groups[1].Value));
        }

        program.Signal("TERM");

        Assert.Equal(0, program.WaitForExit(Patience));
        Assert.Contains($"Uring: {expected} ring{(expected == 1 ? string.Empty : "s")} ", program.Output, StringComparison.Ordinal);
        Assert.Contains($"ring.count = {expected}, ring.entries = 256", program.Output, StringComparison.Ordinal);
        for (var ring = 0; ring < expected; ring++)
        {
            Assert.Contains($"Ring {ring} ready on thread uring-ring-{ring}", program.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain($"Ring {expected} ready", program.Output, StringComparison.Ordinal);
    }
}
