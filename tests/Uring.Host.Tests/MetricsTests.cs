using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

/// <summary>The service's figures on the <c>Uring</c> meter, read through a <see cref="MeterListener"/> as dotnet-counters does.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Echo_traffic_shows_as_bytes_received_and_sent_open_connections_and_completed_receives()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UringMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        // Other tests' connections open and close meanwhile: only increments are summed.
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (value > 0)
            {
                totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            }
        });
        listener.Start();

        await using var host = await RunningHost.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(await host.EndpointOf("echo"));
        var payload = new byte[10_000];
        await client.GetStream().WriteAsync(payload);
        await client.GetStream().ReadExactlyAsync(new byte[payload.Length]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The sender counts its bytes when the send completes, which may be just after the client read them.
        await WaitUntil(() => totals.GetValueOrDefault("uring.tcp.bytes_sent") >= payload.Length);
        listener.RecordObservableInstruments(); // the gauges (open connections) report when asked, as dotnet-counters asks
        Assert.True(totals.GetValueOrDefault("uring.tcp.bytes_received") >= payload.Length);
        Assert.True(totals.GetValueOrDefault("uring.tcp.connections") >= 1);
        Assert.True(totals.GetValueOrDefault("uring.operations.completed") >= 1);
    }

    [Fact]
    public async Task A_listener_that_attaches_while_a_connection_is_open_counts_it()
    {
        await using var host = await RunningHost.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(await host.EndpointOf("echo"));
        await client.GetStream().WriteAsync(new byte[] { 1 });
        await client.GetStream().ReadExactlyAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // the connection is up and counted

        long open = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UringMetrics.MeterName && instrument.Name == "uring.tcp.connections")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => open = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.True(open >= 1, $"open connections read {open} by a listener that attached after the connection opened");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 10_000; waited += 10)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
