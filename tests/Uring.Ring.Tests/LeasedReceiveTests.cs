using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class LeasedReceiveTests
{
    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void Leased_legs_carry_the_bytes_inside_the_provided_buffers_without_a_copy()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 64, bufferCount: 4, userData: "leased");
            writer.Send("first"u8);
            var first = ring.Next();
            writer.Send("second"u8);
            var second = ring.Next();

            Assert.Equal(CompletionKind.RecvMultishotLeased, first.Kind);
            Assert.Equal("leased", first.UserData);
            Assert.Same(first.Lease, first.Result);
            Assert.True(first.Data.IsEmpty); // nothing was copied into an array
            var a = first.Lease!;
            var b = second.Lease!;
            Assert.Equal("first"u8.ToArray(), a.Memory.ToArray());
            Assert.Equal("second"u8.ToArray(), b.Memory.ToArray());
            Assert.False(MemoryMarshal.TryGetArray<byte>(a.Memory, out _));

            // Both legs lie in one native slab, each at its buffer id's slot: the kernel's provided buffers.
            using (var pinA = a.Memory.Pin())
            using (var pinB = b.Memory.Pin())
            {
                var distance = (long)PinnedAddress.Of(pinB) - (long)PinnedAddress.Of(pinA);
                Assert.Equal((b.BufferId - a.BufferId) * 64L, distance);
            }

            Assert.Equal(
                (b.BufferId - a.BufferId) * 64L,
                (long)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(a.GetSpan()), ref MemoryMarshal.GetReference(b.GetSpan())));
            Assert.Equal(2, ring.OutstandingLeases);

            a.Dispose();
            b.Dispose();
            Assert.Equal(0, ring.OutstandingLeases);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void Holding_every_buffer_ends_the_receive_with_enobufs_and_a_receive_resubmitted_after_disposing_continues_without_loss()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring())
        {
            var payload = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
            writer.Send(payload);
            writer.Dispose();
            var held = new List<ReceivedLease>();
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 4, bufferCount: 2);
            Completion leg;
            while ((leg = ring.Next()).HasMore)
            {
                held.Add(leg.Lease!);
            }

            Assert.Equal(Errno.ENOBUFS, leg.Error);
            Assert.Null(leg.Lease);
            Assert.Equal(2, held.Count);
            Assert.Equal(0, ring.Diagnostics.RegisteredBufferRings); // unregistered at once; the memory waits for the leases

            var received = new List<byte>();
            while (true)
            {
                foreach (var lease in held)
                {
                    received.AddRange(lease.Memory.ToArray());
                    lease.Dispose();
                }

                held.Clear();
                if (leg.Res == 0)
                {
                    break;
                }

                ring.SubmitRecvMultishotLeased(reader, bufferSize: 4, bufferCount: 2);
                while ((leg = ring.Next()).HasMore)
                {
                    held.Add(leg.Lease!);
                }
            }

            Assert.Equal(payload, received);
            Assert.Equal(0, ring.OutstandingLeases);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public async Task The_async_stream_rearms_after_enobufs_once_a_lease_comes_back_and_loses_no_data()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring())
        using (ring.StartCompletionThread())
        {
            var payload = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
            writer.Send(payload);
            writer.Dispose();
            var received = new List<byte>();
            var held = new List<ReceivedLease>();
            var releases = new List<Task>();
            var last = default(Completion);

            await foreach (var leg in ring.RecvMultishotLeasedAsync(reader, bufferSize: 4, bufferCount: 2))
            {
                last = leg;
                if (leg.Lease is not { } lease)
                {
                    continue;
                }

                received.AddRange(lease.Memory.ToArray());
                held.Add(lease);
                if (held.Count == 2)
                {
                    // Both buffers leased: the request ends with ENOBUFS, and the stream must wait
                    // for these to come back before it re-arms. Give them back a little later.
                    var batch = held.ToArray();
                    held.Clear();
                    releases.Add(Task.Run(async () =>
                    {
                        await Task.Delay(20);
                        foreach (var leased in batch)
                        {
                            leased.Dispose();
                        }
                    }));
                }
            }

            foreach (var lease in held)
            {
                lease.Dispose();
            }

            await Task.WhenAll(releases);
            Assert.Equal(payload, received);
            Assert.Equal(0, last.Res);
            Assert.Equal(0, ring.OutstandingLeases);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void Leases_disposed_concurrently_on_several_threads_while_data_flows_lose_and_duplicate_nothing()
    {
        const int total = 4 << 20;
        var payload = new byte[total];
        new Random(9).NextBytes(payload);
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring(entries: 64))
        {
            var sender = new BackgroundThread(() =>
            {
                for (var offset = 0; offset < total;)
                {
                    offset += writer.Send(payload.AsSpan(offset, Math.Min(3000, total - offset)));
                }

                writer.Dispose();
            });
            using var work = new BlockingCollection<(long Offset, ReceivedLease Lease)>();
            var mismatches = 0;
            var verifiedBytes = 0L;
            var disposers = Enumerable.Range(0, 3).Select(_ => new BackgroundThread(() =>
            {
                foreach (var (offset, lease) in work.GetConsumingEnumerable())
                {
                    if (!lease.GetSpan().SequenceEqual(payload.AsSpan((int)offset, lease.Length)))
                    {
                        Interlocked.Increment(ref mismatches);
                    }

                    Interlocked.Add(ref verifiedBytes, lease.Length);
                    lease.Dispose();
                }
            })).ToList();

            long received = 0;
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 4096, bufferCount: 8);
            while (true)
            {
                var leg = ring.Next();
                if (leg.Lease is { } lease)
                {
                    work.Add((received, lease));
                    received += lease.Length;
                }

                if (leg.HasMore)
                {
                    continue;
                }

                if (leg.Res == 0 || !leg.IsSuccess && leg.Error != Errno.ENOBUFS)
                {
                    Assert.Equal(0, leg.Res);
                    break;
                }

                // ENOBUFS: the disposers fell behind and every buffer is leased; go on with fresh ones.
                ring.SubmitRecvMultishotLeased(reader, bufferSize: 4096, bufferCount: 8);
            }

            work.CompleteAdding();
            Assert.True(sender.Join(TimeSpan.FromSeconds(30)));
            foreach (var disposer in disposers)
            {
                Assert.True(disposer.Join(TimeSpan.FromSeconds(30)));
            }

            Assert.Equal(total, received);
            Assert.Equal(total, verifiedBytes);
            Assert.Equal(0, mismatches);
            Assert.Equal(0, ring.OutstandingLeases);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void Leases_disposed_after_the_ring_is_disposed_are_safe_and_the_memory_is_freed_by_the_last_one()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            ReceivedLease first, second;
            using (var ring = new Ring())
            {
                ring.SubmitRecvMultishotLeased(reader, bufferSize: 16, bufferCount: 4);
                writer.Send("one"u8);
                first = ring.Next().Lease!;
                writer.Send("two"u8);
                second = ring.Next().Lease!;
            }

            // The ring cancelled the receive and closed; the leases still read their bytes.
            var buffers = first.Buffers;
            Assert.Same(buffers, second.Buffers);
            Assert.Equal("one"u8.ToArray(), first.Memory.ToArray());
            first.Dispose();
            Assert.False(buffers.IsFreed);
            Assert.Equal("two"u8.ToArray(), second.Memory.ToArray());
            second.Dispose();
            Assert.True(buffers.IsFreed);
            second.Dispose(); // harmless: nothing is recycled or released twice
            first.Dispose();
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void On_a_single_issuer_ring_a_lease_disposed_on_another_thread_after_the_receive_ended_frees_the_memory_once_it_is_unregistered()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring(8, RingSetupFlags.SingleIssuer))
        {
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 16, bufferCount: 2);
            writer.Send("data"u8);
            writer.Dispose();
            ReceivedLease? lease = null;
            var end = default(Completion);
            BackgroundThread.Run(() =>
            {
                lease = ring.Next().Lease;
                end = ring.Next(); // end of stream, reaped where io_uring_register is not allowed
            });

            Assert.Equal(0, end.Res);
            Assert.True(ring.HasDeferredWork);
            ring.Flush(); // the submitter unregisters
            Assert.Equal(0, ring.Diagnostics.RegisteredBufferRings);
            Assert.False(lease!.Buffers.IsFreed);
            BackgroundThread.Run(lease.Dispose);
            Assert.True(lease.Buffers.IsFreed);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void A_second_dispose_does_not_hand_the_kernel_the_same_buffer_twice()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 8, bufferCount: 1);
            writer.Send("a"u8);
            var lease = ring.Next().Lease!;
            lease.Dispose();
            lease.Dispose();
            ((IDisposable)lease).Dispose();

            writer.Send("b"u8);
            var next = ring.Next();
            Assert.True(next.HasMore);
            Assert.Equal("b"u8.ToArray(), next.Lease!.Memory.ToArray());

            // The one buffer is leased again: with a duplicate entry the kernel would fill it twice.
            writer.Send("c"u8);
            var end = ring.Next();
            Assert.Equal(Errno.ENOBUFS, end.Error);
            Assert.Equal("b"u8.ToArray(), next.Lease.Memory.ToArray());
            next.Lease.Dispose();
            Assert.Equal(0, ring.OutstandingLeases);
        }
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void After_dispose_the_lease_refuses_to_show_its_memory()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 8, bufferCount: 2);
            writer.Send("xyz"u8);
            var lease = ring.Next().Lease!;
            var earlier = lease.Memory;
            Assert.False(lease.IsDisposed);

            lease.Dispose();

            Assert.True(lease.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => lease.Memory);
            Assert.Throws<ObjectDisposedException>(() => lease.GetSpan().Length);
            Assert.Throws<ObjectDisposedException>(() => earlier.Span.Length);
            Assert.Throws<ObjectDisposedException>(() => lease.Pin());
        }
    }

    [RingFact]
    public void Leased_receive_arguments_are_checked_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecvMultishotLeased(0, bufferSize: 0)).ParamName);
        Assert.Equal("bufferCount", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecvMultishotLeased(0, bufferCount: 40000)).ParamName);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }
}

/// <summary>Leases left to the garbage collector: forced collections, so alone in the serial collection.</summary>
[Collection(SerialCollection.Name)]
public sealed class LeakedLeaseTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _leakedCounted;

    public LeakedLeaseTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == UringMetrics.MeterName && instrument.Name == "uring.receive.leases.leaked")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _leakedCounted, value));
        _listener.Start();
    }

    [RingFact(RequiresOpcode = RingOpcode.Recv)]
    public void A_lease_nobody_disposed_is_reported_after_collection_and_its_buffer_goes_back_to_the_kernel()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        {
            var log = new ListLogger();
            using var ring = new Ring(new RingOptions { Logger = log });
            ring.SubmitRecvMultishotLeased(reader, bufferSize: 8, bufferCount: 1);
            ReceiveAndDrop(ring, writer);
            Assert.Equal(1, ring.OutstandingLeases);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            Assert.Equal(1, ring.LeakedLeases);
            Assert.Equal(0, ring.OutstandingLeases);
            Assert.True(Interlocked.Read(ref _leakedCounted) >= 1);
            Assert.Contains(log.Messages, message => message.Level == LogLevel.Warning && message.Text.Contains("never disposed", StringComparison.Ordinal));

            // The only buffer is back with the kernel: the receive goes on.
            writer.Send("again"u8);
            var next = ring.Next();
            Assert.True(next.HasMore, next.ToString());
            Assert.Equal("again"u8.ToArray(), next.Lease!.Memory.ToArray());
            next.Lease.Dispose();
        }
    }

    public void Dispose() => _listener.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReceiveAndDrop(Ring ring, System.Net.Sockets.Socket writer)
    {
        writer.Send("lost"u8);
        Assert.NotNull(ring.Next().Lease);
    }
}
