using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// The connection as its handler sees it (the sender of Connected and Received), whose writes skip
/// the connection actor's mailbox: it must still behave as the connection actor itself.
/// </summary>
public abstract class ConnectionRefSpecs(int rings) : UringSpec(rings: rings)
{
    [Fact]
    public async Task The_connection_a_handler_is_given_is_the_connection_actor_for_death_watch_and_comparison()
    {
        var (client, connection) = await ConnectAndRegister(UringTcp.Get(Sys).Manager);
        using (client)
        {
            var actor = await Sys.ActorSelection(connection.Path).ResolveOne(TimeSpan.FromSeconds(5));
            Assert.Equal(actor, connection);
            Watch(connection);

            client.Shutdown(SocketShutdown.Send);

            ExpectMsg<Tcp.PeerClosed>(TimeSpan.FromSeconds(10));
            Assert.Equal(connection, ExpectTerminated(connection, TimeSpan.FromSeconds(10)).ActorRef);
        }
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("poison pill")]
    public async Task Stopping_the_connection_a_handler_is_given_stops_the_connection_actor_and_closes_the_socket(string how)
    {
        var (client, connection) = await ConnectAndRegister(UringTcp.Get(Sys).Manager);
        using (client)
        {
            Watch(connection);

            if (how == "stop")
            {
                Sys.Stop(connection);
            }
            else
            {
                connection.Tell(PoisonPill.Instance);
            }

            ExpectTerminated(connection, TimeSpan.FromSeconds(10));
            var read = await client.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, read);
        }
    }

    [Fact]
    public async Task A_write_told_right_after_close_is_refused_not_sent_ahead_of_the_close()
    {
        var (client, connection) = await ConnectAndRegister(UringTcp.Get(Sys).Manager);
        using (client)
        {
            connection.Tell(Tcp.Write.Create(ByteString.FromString("before"), new WriteAck(1)));
            connection.Tell(Tcp.Close.Instance);
            var late = Tcp.Write.Create(ByteString.FromString("after"), new WriteAck(2));
            connection.Tell(late);

            // The refusal needs no send, so it may overtake the first write's ack; Closed comes after both.
            var events = ReceiveN(3, TimeSpan.FromSeconds(10)).ToList();
            Assert.Equal(1, Assert.Single(events.OfType<WriteAck>()).Index);
            var refused = Assert.Single(events.OfType<Tcp.CommandFailed>());
            Assert.Same(late, refused.Cmd);
            Assert.Contains("the connection is closing (Close was sent)", refused.CauseString, StringComparison.Ordinal);
            Assert.IsType<Tcp.Closed>(events[2]);
            var received = new byte[64];
            var total = 0;
            int read;
            while ((read = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
            {
                total += read;
            }

            Assert.Equal("before", System.Text.Encoding.ASCII.GetString(received, 0, total));
        }
    }
}

public sealed class ConnectionRefSpecsOnOneRing() : ConnectionRefSpecs(1);

public sealed class ConnectionRefSpecsOnSeveralRings() : ConnectionRefSpecs(SeveralRings);
