using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using Uring.Actors.Tcp;
using Xunit.Abstractions;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// 1 MiB and 8 MiB messages echoed over 64 connections at once, each direction checked by SHA-256:
/// through Akka.IO's protocol (every chunk a copied Received, written back as an acknowledged
/// Tcp.Write, reading suspended while more than 1 MiB waits to be sent — what a correct Akka.IO
/// handler does; the legs already on their way when it suspends overshoot that, so the queue limit
/// here is roomy and a refused write fails the handler loudly), and without a copy
/// (leases written back as UringTcp.WriteOwned, whose held buffers stop the reading by themselves). The client streams each message in
/// 64 KiB pieces from a seeded generator and hashes what comes back as it arrives, so neither side
/// holds a whole message.
/// </summary>
public abstract class LargeMessageSpecs(ITestOutputHelper output, int rings, bool leased)
    : UringSpec($"akka.loglevel = ERROR\nakka.log-dead-letters = off\nuring.tcp {{ leased-receive = {(leased ? "on" : "off")}, max-queued-write-bytes = 67108864 }}", rings)
{
    private const int Connections = 64;
    private static readonly int[] MessageSizes = [1 << 20, 8 << 20];

    [Fact]
    public async Task Sixty_four_connections_echo_1_MiB_and_8_MiB_messages_whole_as_their_SHA_256_shows()
    {
        var manager = UringTcp.Get(Sys).Manager;
        Sys.ActorOf(leased
            ? Props.Create(() => new EchoServer(manager, TestActor, Props.Create(() => new LeaseEcho()), null))
            : Props.Create(() => new EchoServer(manager, TestActor, Props.Create(() => new BackpressuredEcho()), null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var mismatches = await Task.WhenAll(Enumerable.Range(0, Connections).Select(connection => Task.Run(async () =>
        {
            using var socket = await Connect(endpoint);
            var wrong = 0;
            foreach (var size in MessageSizes)
            {
                var hashes = await Task.WhenAll(Send(socket, size, seed: (connection * 31) + size), ReceiveHash(socket, size));
                if (!hashes[0].SequenceEqual(hashes[1]))
                {
                    wrong++;
                }
            }

            return wrong;
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        var bytes = (long)Connections * MessageSizes.Sum();
        output.WriteLine($"{Connections} connections over {RingCount} rings ({(leased ? "leased, written back without a copy" : "copied")}): {bytes:N0} bytes each way in {clock.Elapsed.TotalSeconds:F1} s, {mismatches.Sum()} mismatched");
        Assert.Equal(0, mismatches.Sum());
        Assert.All(await AllRings(), ring => Assert.Equal(0, ring.OutstandingLeases));
    }

    /// <summary>Streams <paramref name="size"/> bytes from a generator seeded with <paramref name="seed"/>; returns their hash.</summary>
    private static async Task<byte[]> Send(Socket socket, int size, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var random = new Random(seed);
        var chunk = new byte[64 * 1024];
        for (var offset = 0; offset < size; offset += chunk.Length)
        {
            random.NextBytes(chunk);
            var piece = chunk.AsMemory(0, Math.Min(chunk.Length, size - offset));
            hash.AppendData(piece.Span);
            await socket.SendAsync(piece, SocketFlags.None);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Reads exactly <paramref name="size"/> bytes, hashing them as they come.</summary>
    private static async Task<byte[]> ReceiveHash(Socket socket, int size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (var received = 0; received < size;)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, size - received)), SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException($"the server closed after {received} of {size} bytes");
            }

            hash.AppendData(buffer.AsSpan(0, read));
            received += read;
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Echoes each Received as an acknowledged Write, and suspends reading while more than 1 MiB is
    /// unacknowledged (resuming below 256 KiB), so its connection's write queue stays bounded.
    /// </summary>
    private sealed class BackpressuredEcho : ReceiveActor
    {
        private const long High = 1 << 20;
        private const long Low = 256 << 10;
        private readonly Queue<int> _unacknowledged = new();
        private long _pending;
        private bool _suspended;

        public BackpressuredEcho()
        {
            Receive<Tcp.Received>(received =>
            {
                Sender.Tell(Tcp.Write.Create(received.Data, Sent.Instance));
                _unacknowledged.Enqueue(received.Data.Count);
                _pending += received.Data.Count;
                if (!_suspended && _pending > High)
                {
                    _suspended = true;
                    Sender.Tell(Tcp.SuspendReading.Instance);
                }
            });
            Receive<Sent>(_ =>
            {
                _pending -= _unacknowledged.Dequeue();
                if (_suspended && _pending < Low)
                {
                    _suspended = false;
                    Sender.Tell(Tcp.ResumeReading.Instance);
                }
            });
            Receive<Tcp.CommandFailed>(failed => throw new InvalidOperationException($"the connection refused {failed.Cmd}: its queue limit is too small for this spec"));
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        }

        private sealed class Sent : Tcp.Event
        {
            public static Sent Instance { get; } = new();
        }
    }

    /// <summary>Writes every lease back without a copy.</summary>
    private sealed class LeaseEcho : ReceiveActor
    {
        public LeaseEcho()
        {
            Receive<UringTcp.ReceivedLease>(lease => Sender.Tell(new UringTcp.WriteOwned(lease.Data)));
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        }
    }
}

[Collection(nameof(StressCollection))]
public sealed class LargeMessageSpecsCopiedOnOneRing(ITestOutputHelper output) : LargeMessageSpecs(output, 1, leased: false);

[Collection(nameof(StressCollection))]
public sealed class LargeMessageSpecsCopiedOnSeveralRings(ITestOutputHelper output) : LargeMessageSpecs(output, SeveralRings, leased: false);

[Collection(nameof(StressCollection))]
public sealed class LargeMessageSpecsLeasedOnOneRing(ITestOutputHelper output) : LargeMessageSpecs(output, 1, leased: true);

[Collection(nameof(StressCollection))]
public sealed class LargeMessageSpecsLeasedOnSeveralRings(ITestOutputHelper output) : LargeMessageSpecs(output, SeveralRings, leased: true);
