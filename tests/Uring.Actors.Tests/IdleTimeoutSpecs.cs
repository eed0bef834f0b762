using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary><c>uring.tcp.idle-timeout</c>: connections with no traffic close; busy ones stay open.</summary>
public abstract class IdleTimeoutSpecs(int rings) : UringSpec("uring.tcp.idle-timeout = 1s", rings)
{

    private IActorRef Manager => UringTcp.Get(Sys).Manager;

    [Fact]
    public async Task A_connection_that_sends_and_receives_nothing_is_closed_after_the_idle_timeout_and_its_peer_reads_end_of_stream()
    {
        var (client, _) = await ConnectAndRegister(Manager);
        using (client)
        {
            var closed = ExpectMsg<Tcp.ErrorClosed>(TimeSpan.FromSeconds(10));
            Assert.Contains("idle timeout", closed.Cause);

            var read = await client.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, read);
        }

        await AssertRingSettlesToTheListenerAlone();
    }

    [Fact]
    public async Task A_connection_with_traffic_more_often_than_the_idle_timeout_stays_open_and_closes_once_the_traffic_stops()
    {
        var (client, connection) = await ConnectAndRegister(Manager);
        using (client)
        {
            // Traffic in both directions every 50 ms for 2.5 s: two and a half idle timeouts long,
            // with gaps twenty times shorter than the timeout (room for a slow CI machine).
            for (var i = 0; i < 50; i++)
            {
                await client.SendAsync(new byte[] { (byte)i }, SocketFlags.None);
                Assert.Equal((byte)i, ExpectMsg<Tcp.Received>(TimeSpan.FromSeconds(5)).Data[0]);
                connection.Tell(Tcp.Write.Create(ByteString.FromBytes([(byte)i])));
                await Task.Delay(50);
            }

            var echoed = new byte[50];
            var total = 0;
            while (total < echoed.Length)
            {
                total += await client.ReceiveAsync(echoed.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }

            Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), echoed);
            ExpectMsg<Tcp.ErrorClosed>(TimeSpan.FromSeconds(10)); // and now idle
        }
    }

    [Fact]
    public void A_zero_idle_timeout_is_refused_naming_its_key_and_the_way_to_turn_it_off()
    {
        var error = Assert.Throws<ConfigurationException>(() => UringSettings.From(ConfigurationFactory.ParseString("uring.tcp.idle-timeout = 0s")));

        Assert.Contains("uring.tcp.idle-timeout", error.Message);
        Assert.Contains("infinite", error.Message);
    }

    [Fact]
    public void Idle_connections_are_kept_open_by_default()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, UringSettings.From(ConfigurationFactory.Empty).IdleTimeout);
    }

    /// <summary>Once the closed connection's receive and timer are gone, only the listener's accept stays in flight.</summary>
    private async Task AssertRingSettlesToTheListenerAlone()
    {
        var rings = await AllRings();
        await AwaitConditionAsync(() => Task.FromResult(InFlight(rings) == 1), TimeSpan.FromSeconds(10));
    }
}

public sealed class IdleTimeoutSpecsOnOneRing() : IdleTimeoutSpecs(1);

public sealed class IdleTimeoutSpecsOnSeveralRings() : IdleTimeoutSpecs(SeveralRings);
