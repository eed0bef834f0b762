using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class MultishotRecvTests
{
    [RingTheory(RequiresOpcode = Native.RingOpcode.Recv)]
    [InlineData(false)]
    [InlineData(true)]
    public void A_base_sequence_numbers_the_legs_from_it_so_a_rearmed_stream_continues(bool leased)
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            _ = leased
                ? ring.SubmitRecvMultishotLeased(reader, bufferSize: 16, bufferCount: 4, baseSequence: 41)
                : ring.SubmitRecvMultishot(reader, bufferSize: 16, bufferCount: 4, baseSequence: 41);
            for (var i = 0; i < 3; i++)
            {
                writer.Send(new[] { (byte)i });
                var leg = ring.Next();
                Assert.Equal(41 + i, leg.Sequence);
                leg.Lease?.Dispose();
            }

            writer.Dispose();
            Assert.Equal(44, ring.Next().Sequence); // the end of stream, numbered on
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Serving_workers_deliver_a_based_streams_final_completion_after_its_legs()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var delivered = new System.Collections.Concurrent.BlockingCollection<int>();
            ring.Callback = completion => delivered.Add(completion.Sequence);
            var workers = Enumerable.Range(0, 2).Select(_ => new BackgroundThread(ring.ServeCompletions)).ToList();
            ring.SubmitRecvMultishot(reader, bufferSize: 16, bufferCount: 4, baseSequence: 1000);
            writer.Send(new byte[] { 1 });
            Assert.True(delivered.TryTake(out var first, TimeSpan.FromSeconds(5)));
            writer.Dispose();

            Assert.True(delivered.TryTake(out var last, TimeSpan.FromSeconds(5)), "the final completion waited for legs numbered from 0");
            Assert.Equal((1000, 1001), (first, last));
            ring.StopServing();
            Assert.All(workers, worker => Assert.True(worker.Join(TimeSpan.FromSeconds(5))));
        }
    }

    [RingFact]
    public void A_negative_base_sequence_is_refused_naming_the_argument()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecvMultishot(reader, baseSequence: -1));
            Assert.Equal("baseSequence", error.ParamName);
            Assert.Equal(0, ring.InFlight);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Multishot_recv_delivers_numbered_copies_until_end_of_stream_then_releases_its_buffers()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishot(reader, bufferSize: 16, bufferCount: 4, userData: "stream");
            Assert.Equal(1, ring.Diagnostics.RegisteredBufferRings);
            var received = new List<byte>();
            var sequence = 0;
            for (var i = 0; i < 5; i++)
            {
                writer.Send(new[] { (byte)i, (byte)(i + 100) });
                var leg = ring.Next();
                Assert.Equal("stream", leg.UserData);
                Assert.Equal(sequence++, leg.Sequence);
                Assert.True(leg.HasMore);
                Assert.True(leg.Flags.HasFlag(CompletionFlags.Buffer));
                received.AddRange(leg.Data.ToArray());
                Assert.Same(leg.Result, leg.Result); // the copy is the caller's
            }

            writer.Dispose();
            var end = ring.Next();

            Assert.Equal(0, end.Res);
            Assert.False(end.HasMore);
            Assert.Equal(5, end.Sequence);
            Assert.Empty(Assert.IsType<byte[]>(end.Result));
            Assert.Equal(new byte[] { 0, 100, 1, 101, 2, 102, 3, 103, 4, 104 }, received);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Multishot_recv_recycles_buffers_so_a_small_ring_carries_a_long_stream()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishot(reader, bufferSize: 8, bufferCount: 2);
            var payload = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7)).ToArray();
            var received = new List<byte>();
            for (var offset = 0; offset < payload.Length; offset += 8)
            {
                writer.Send(payload.AsSpan(offset, 8));
                while (received.Count < offset + 8)
                {
                    var leg = ring.Next();
                    Assert.True(leg.HasMore, leg.ToString());
                    received.AddRange(leg.Data.ToArray());
                }
            }

            Assert.Equal(payload, received);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void An_exhausted_buffer_ring_ends_the_request_with_enobufs_and_loses_no_data()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            ring.SubmitRecvMultishot(reader, bufferSize: 4, bufferCount: 1, userData: "small");
            writer.Send(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
            var received = new List<byte>();
            Completion leg;
            do
            {
                leg = ring.Next();
                received.AddRange(leg.Data.ToArray());
            }
            while (leg.HasMore);

            Assert.Equal(Errno.ENOBUFS, leg.Error);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);

            // What the ended request did not take is still in the socket.
            var rest = new byte[64];
            var count = reader.Receive(rest);
            Assert.Equal(Enumerable.Range(0, 64).Select(i => (byte)i), received.Concat(rest[..count]));
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Cancelling_a_multishot_recv_ends_it_and_unregisters_its_buffer_ring()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            var recv = ring.SubmitRecvMultishot(reader, userData: "recv");

            ring.SubmitCancel(recv, "cancel");
            var completions = ring.NextByUserData(2);

            Assert.Equal(Errno.ECANCELED, completions["recv"].Error);
            Assert.Null(completions["recv"].Result);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void Buffer_group_ids_are_recycled_so_more_than_65536_multishot_receives_can_run_in_turn()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring())
        {
            for (var i = 0; i < 70_000; i++)
            {
                var recv = ring.SubmitRecvMultishot(reader, bufferSize: 1, bufferCount: 1, userData: "recv");
                ring.SubmitCancel(recv, "cancel");
                ring.NextByUserData(2);
            }

            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void On_a_single_issuer_ring_a_buffer_ring_ended_on_the_reaper_thread_is_reported_as_deferred_and_unregistered_by_the_next_submission()
    {
        var (writer, reader) = SocketPair.Create();
        using (reader)
        using (var ring = new Ring(8, RingSetupFlags.SingleIssuer))
        {
            ring.SubmitRecvMultishot(reader, userData: "recv");
            writer.Dispose();

            var end = default(Completion);
            BackgroundThread.Run(() => end = ring.Next()); // a thread that may not call io_uring_register

            Assert.Equal(0, end.Res);
            Assert.Equal(1, ring.Diagnostics.RegisteredBufferRings);
            Assert.True(ring.HasDeferredWork);
            ring.SubmitNop();
            Assert.Equal(0, ring.Diagnostics.RegisteredBufferRings);
            Assert.False(ring.HasDeferredWork);
        }
    }

    [RingFact]
    public void Multishot_recv_arguments_are_checked_before_the_kernel()
    {
        using var ring = new Ring();

        Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecvMultishot(0, bufferSize: 0)).ParamName);
        Assert.Equal("bufferCount", Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecvMultishot(0, bufferCount: 40000)).ParamName);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }
}
