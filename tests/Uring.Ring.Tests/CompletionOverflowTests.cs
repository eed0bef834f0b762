using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Faults from a completion queue too small for what the kernel has to say. With NODROP the kernel
/// keeps the extra completions on its overflow list and hands them over as room appears; a
/// multishot request that cannot post is ended by the kernel (a final completion without
/// <see cref="Completion.HasMore"/>) and must be re-armed. Nothing may be lost on the way.
/// </summary>
public class CompletionOverflowTests
{
    [RingFact(RequiresOpcode = Native.RingOpcode.Recv)]
    public void A_flood_of_multishot_legs_into_a_two_entry_completion_queue_loses_no_byte_and_no_completion()
    {
        const int chunks = 256;
        const int chunkSize = 16;
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring(new RingOptions { Entries = 2, CompletionQueueEntries = 2, MaxInFlight = 8 }))
        {
            var sent = Enumerable.Range(0, chunks * chunkSize).Select(i => (byte)(i * 7)).ToArray();
            writer.Send(sent); // all of it waits in the socket before the receive is armed

            var received = new List<byte>();
            var arms = 0;
            var heldBack = false;
            var armed = false;
            while (received.Count < sent.Length)
            {
                if (!armed)
                {
                    // Every buffer is 16 bytes: 256 legs to post into 2 CQ entries. The kernel keeps
                    // what does not fit and ends the request; it is re-armed for the rest.
                    ring.SubmitRecvMultishot(reader, bufferSize: chunkSize, bufferCount: chunks, userData: arms++);
                    armed = true;
                    Thread.Sleep(10);
                    heldBack |= ring.CompletionsHeldBack;
                }

                var leg = ring.Next();
                Assert.True(leg.IsSuccess, $"unexpected {leg}");
                received.AddRange(leg.Data.ToArray());
                armed = leg.HasMore;
            }

            writer.Dispose(); // end of stream ends the last request
            if (armed)
            {
                Assert.Equal(0, ring.Next().Res);
            }

            Assert.Equal(sent, received);
            Assert.True(heldBack, "the flood never filled the completion queue");
            Assert.True(arms > 1, "the kernel never ended the multishot receive");
            Assert.Equal(0, ring.CompletionOverflow); // delayed, never dropped
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [RingFact]
    public void Completions_held_back_by_a_full_completion_queue_are_all_delivered_once_reaped()
    {
        using var ring = new Ring(new RingOptions { Entries = 2, CompletionQueueEntries = 2, MaxInFlight = 64 }) { AutoSubmit = false };
        for (var i = 0; i < 64; i++)
        {
            ring.SubmitNop(i);
            if (ring.PendingSubmissions == 2)
            {
                ring.Flush(); // NOPs complete at once: past two, they go to the overflow list
            }
        }

        ring.Flush();
        Assert.True(ring.CompletionsHeldBack);
        var seen = new HashSet<int>();
        for (var i = 0; i < 64; i++)
        {
            Assert.True(seen.Add((int)ring.Next().UserData!));
        }

        Assert.Equal(64, seen.Count);
        Assert.False(ring.CompletionsHeldBack);
        Assert.Equal(0, ring.CompletionOverflow); // delayed, never dropped
        Assert.Null(ring.Wait(TimeSpan.Zero));
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }
}
