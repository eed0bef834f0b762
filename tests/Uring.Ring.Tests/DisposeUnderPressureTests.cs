using Uring.Tests.Infrastructure;

namespace Uring.Tests;

[Collection(SerialCollection.Name)]
public class DisposeUnderPressureTests
{
    [RingFact]
    public void Dispose_with_a_thousand_recvs_multishots_and_zero_copy_sends_in_flight_under_gc_pressure_releases_everything()
    {
        var pairs = Enumerable.Range(0, 120).Select(_ => SocketPair.Create()).ToList();
        var tcp = Enumerable.Range(0, 10).Select(_ => Loopback.TcpPair()).ToList();
        // Peers that keep reading: a zero-copy send's notification comes once the receiver has consumed its pages.
        var readers = tcp.Select(p => Task.Factory.StartNew(() => CancelAndDisposeTests.Drain(p.Server), TaskCreationOptions.LongRunning)).ToList();
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Thread.Sleep(1); // pressure, without freezing the tests that run beside this one
            }
        });
        try
        {
            var ring = new Ring(new RingOptions { Entries = 256, MaxInFlight = 2048 });
            for (var i = 0; i < 1000; i++)
            {
                ring.SubmitRecv(pairs[i % 100].First, new byte[64]);
            }

            for (var i = 100; i < 120; i++)
            {
                ring.SubmitRecvMultishot(pairs[i].First, bufferSize: 256, bufferCount: 8);
            }

            foreach (var (client, _) in tcp)
            {
                ring.SubmitSendZc(client, new byte[32 << 20]); // far more than the socket buffers hold at once
            }

            Assert.True(ring.Diagnostics.InFlight > 1020);
            Assert.Equal(20, ring.Diagnostics.RegisteredBufferRings);

            ring.Dispose();

            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
            pairs.ForEach(p => { p.First.Dispose(); p.Second.Dispose(); });
            tcp.ForEach(p => p.Client.Dispose());
            Task.WaitAll([.. readers], TimeSpan.FromSeconds(10));
            tcp.ForEach(p => p.Server.Dispose());
        }
    }
}
