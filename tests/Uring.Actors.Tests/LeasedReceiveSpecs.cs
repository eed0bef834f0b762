using Akka.Actor;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Connections with <c>uring.tcp.leased-receive = on</c>: the handler gets
/// <see cref="UringTcp.ReceivedLease"/> messages over the provided buffers (four of 1 KiB here) and
/// gives them back by disposing them.
/// </summary>
public abstract class LeasedReceiveSpecs(int rings) : UringSpec($"uring.tcp {{ receive-buffer-size = {BufferSize}, receive-buffer-count = {BufferCount}, leased-receive = on }}", rings)
{
    private const int BufferSize = 1024;
    private const int BufferCount = 4;

    private IActorRef Manager => UringTcp.Get(Sys).Manager;

    [Fact]
    public async Task The_handler_receives_leases_in_order_and_disposing_them_lets_far_more_than_the_buffers_hold_pass_through()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            var payload = Enumerable.Range(0, 64 * 1024).Select(i => (byte)((i * 31) + (i >> 8))).ToArray();
            var sending = client.SendAsync(payload);
            var received = new List<byte>();
            var held = new List<UringTcp.ReceivedLease>();

            // Hold every buffer: the connection stops reading until one comes back.
            while (held.Count < BufferCount)
            {
                held.Add(ExpectMsg<UringTcp.ReceivedLease>(TimeSpan.FromSeconds(10)));
            }

            ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            foreach (var lease in held)
            {
                received.AddRange(lease.Data.Memory.ToArray());
                lease.Data.Dispose();
            }

            while (received.Count < payload.Length)
            {
                var lease = ExpectMsg<UringTcp.ReceivedLease>(TimeSpan.FromSeconds(10));
                received.AddRange(lease.Data.Memory.ToArray());
                lease.Data.Dispose();
            }

            await sending;
            Assert.Equal(payload, received);
            Assert.All(await AllRings(), ring =>
            {
                Assert.Equal(0, ring.OutstandingLeases);
                Assert.Equal(0, ring.LeakedLeases);
            });
            connection.Tell(Tcp.Close.Instance);
            ExpectMsg<Tcp.Closed>(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Leases_sent_to_a_handler_that_stopped_are_disposed_rather_than_leaked()
    {
        var handler = Sys.ActorOf(Props.Create(() => new StopAtFirstLease()));
        var (client, _) = await ConnectAndRegister(Manager, handler);
        using (client)
        {
            Watch(handler);
            await client.SendAsync(new byte[16 * BufferSize]);
            ExpectTerminated(handler, TimeSpan.FromSeconds(10));

            var rings = await AllRings();
            await AwaitAssertAsync(() => Assert.Equal(0, rings.Sum(ring => ring.OutstandingLeases)), TimeSpan.FromSeconds(10));
            Assert.Equal(0, rings.Sum(ring => ring.LeakedLeases));
        }
    }

    /// <summary>Disposes its first lease and stops, with more leases on their way to it.</summary>
    private sealed class StopAtFirstLease : ReceiveActor
    {
        public StopAtFirstLease()
        {
            Receive<UringTcp.ReceivedLease>(lease =>
            {
                lease.Data.Dispose();
                Context.Stop(Self);
            });
        }
    }
}

public sealed class LeasedReceiveSpecsOnOneRing() : LeasedReceiveSpecs(1);

public sealed class LeasedReceiveSpecsOnSeveralRings() : LeasedReceiveSpecs(SeveralRings);
