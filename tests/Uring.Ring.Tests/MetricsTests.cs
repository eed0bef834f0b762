using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// The <c>Uring</c> meter, read the way dotnet-counters or an exporter reads it: through a
/// <see cref="MeterListener"/>. Other tests run in parallel and record too, so counts are lower bounds.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Kind), long> _totals = new();
    private readonly ConcurrentDictionary<string, long> _lastObserved = new();
    private readonly ConcurrentDictionary<(string Instrument, string Ring), long> _byRing = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == UringMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? kind = null;
            string? ring = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "kind":
                        kind = tag.Value as string;
                        break;
                    case "ring":
                        ring = tag.Value as string;
                        break;
                }
            }

            _totals.AddOrUpdate((instrument.Name, kind), value, (_, total) => total + value);
            if (ring is not null)
            {
                _byRing.AddOrUpdate((instrument.Name, ring), value, (_, total) => instrument.IsObservable ? value : total + value);
            }

            _lastObserved[instrument.Name] = value;
        });
        _listener.Start();
    }

    [RingFact]
    public void Submitted_and_completed_operations_are_counted_by_kind()
    {
        using var ring = new Ring(entries: 64);
        for (var i = 0; i < 40; i++)
        {
            ring.SubmitNop();
        }

        for (var i = 0; i < 40; i++)
        {
            Assert.NotNull(ring.Wait(TimeSpan.FromSeconds(5)));
        }

        Assert.True(Total("uring.operations.submitted", "Nop") >= 40);
        Assert.True(Total("uring.operations.completed", "Nop") >= 40);
    }

    [RingFact]
    public void The_in_flight_gauge_sees_an_operation_waiting_in_the_kernel()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring())
        {
            ring.SubmitRecv(right, new byte[16]);

            _listener.RecordObservableInstruments();

            Assert.True(_lastObserved.GetValueOrDefault("uring.operations.in_flight") >= 1);
        }
    }

    [RingFact]
    public void Refusing_a_submission_at_the_in_flight_limit_counts_as_backpressure()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring(new RingOptions { Entries = 4, MaxInFlight = 1 }))
        {
            ring.SubmitRecv(right, new byte[16]);

            Assert.Throws<SubmissionQueueFullException>(() => ring.SubmitNop());

            Assert.True(Total("uring.backpressure", null) >= 1);
        }
    }

    [RingFact]
    public void A_named_ring_tags_its_measurements_with_its_name_and_has_its_own_in_flight_series()
    {
        var name = $"metrics-{Guid.NewGuid():N}";
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring(new RingOptions { Name = name }))
        {
            ring.SubmitNop();
            Assert.NotNull(ring.Wait(TimeSpan.FromSeconds(5)));
            ring.SubmitRecv(right, new byte[16]);

            _listener.RecordObservableInstruments();

            Assert.Equal(name, ring.Name);
            Assert.Equal(2, _byRing.GetValueOrDefault(("uring.operations.submitted", name)));
            Assert.Equal(1, _byRing.GetValueOrDefault(("uring.operations.completed", name)));
            Assert.Equal(1, _byRing.GetValueOrDefault(("uring.ring.in_flight", name)));
            Assert.True(_lastObserved.GetValueOrDefault("uring.operations.in_flight") >= 1); // the total counts it too
        }
    }

    public void Dispose() => _listener.Dispose();

    private long Total(string instrument, string? kind) => _totals.GetValueOrDefault((instrument, kind));
}
