using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Actor.Dsl;
using Uring.Actors.Tcp;
using Xunit.Abstractions;

namespace Uring.Actors.Tests;

// Inside the namespace, so that it wins over the Uring.Actors.Tcp namespace.
using Tcp = Akka.IO.Tcp;

/// <summary>
/// Many connections, random payloads, and a thread forcing compacting collections all the while:
/// the kernel must only ever touch memory the ring still owns, so every byte comes back intact and
/// every loan (slot, pin, buffer ring) is returned at the end.
/// </summary>
public abstract class EchoStressSpecs(ITestOutputHelper output, int rings) : UringSpec("akka.loglevel = ERROR\nakka.log-dead-letters = off", rings)
{
    private const int Connections = 1000;
    private const int Rounds = 3;
    private const int MessagesPerConnectionPerRound = 2;
    private const int MaxPayload = 256 * 1024;

    [Fact]
    public async Task A_thousand_connections_echo_random_payloads_under_compacting_collections_with_nothing_lost_or_corrupted()
    {
        var manager = UringTcp.Get(Sys).Manager;
        var testActor = TestActor;
        var reports = Sys.ActorOf(act =>
        {
            act.Receive<Tcp.Bound>((bound, _) => testActor.Tell(bound));
            act.ReceiveAny((_, _) => { }); // how each connection ended: not kept, so memory measures the server
        });
        Sys.ActorOf(Props.Create(() => new EchoServer(manager, reports, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var rings = await AllRings();
        var idle = Diagnostics(rings); // the listener's multishot accept
        using var stopCollecting = new CancellationTokenSource();
        var collections = 0;
        var collector = Task.Factory.StartNew(() =>
        {
            while (!stopCollecting.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                collections++;
                Thread.Sleep(10);
            }
        }, TaskCreationOptions.LongRunning);

        long bytes = 0, messages = 0, corrupted = 0;
        var memoryAfterRound = new long[Rounds];
        var workingSetAfterRound = new long[Rounds];
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var seed = round;
            await Task.WhenAll(Enumerable.Range(0, Connections).Select(connection => Task.Run(async () =>
            {
                var random = new Random((seed * Connections) + connection);
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(endpoint);
                for (var message = 0; message < MessagesPerConnectionPerRound; message++)
                {
                    // Log-uniform sizes from 1 B to 256 KiB: mostly small, some large.
                    var size = (int)Math.Clamp(Math.Exp(random.NextDouble() * Math.Log(MaxPayload)), 1, MaxPayload);
                    var payload = new byte[size];
                    random.NextBytes(payload);
                    var echoed = new byte[size];
                    await Task.WhenAll(socket.SendAsync(payload, SocketFlags.None), SocketReads.ReceiveExactly(socket, echoed));
                    if (!payload.AsSpan().SequenceEqual(echoed))
                    {
                        Interlocked.Increment(ref corrupted);
                    }

                    Interlocked.Add(ref bytes, size);
                    Interlocked.Increment(ref messages);
                }
            }))).WaitAsync(TimeSpan.FromMinutes(2));
            memoryAfterRound[round] = GC.GetTotalMemory(forceFullCollection: true);
            workingSetAfterRound[round] = Environment.WorkingSet;
        }

        stopCollecting.Cancel();
        await collector;
        await AwaitAssertAsync(() => Assert.Equal(idle, Diagnostics(rings)), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        await AwaitAssertAsync(() => Assert.All(UringTcp.Get(Sys).Rings, ring => Assert.Equal(0, ring.Connections)), TimeSpan.FromSeconds(10));

        output.WriteLine(
            $"{Connections} connections x {Rounds} rounds over {RingCount} rings: {messages} messages, {bytes:N0} bytes echoed in {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{collections} forced compacting collections, {corrupted} corrupted; after each round managed memory {string.Join(", ", memoryAfterRound.Select(m => $"{m / 1024 / 1024} MiB"))}, " +
            $"working set {string.Join(", ", workingSetAfterRound.Select(m => $"{m / 1024 / 1024} MiB"))}");
        Assert.Equal(0, corrupted);
        Assert.Equal((long)Connections * Rounds * MessagesPerConnectionPerRound, messages);
        Assert.True(collections > 0);
        Assert.True(memoryAfterRound[^1] - memoryAfterRound[0] < 64L * 1024 * 1024, "managed memory keeps growing across rounds");
        // Each round maps 1,000 connections' receive buffers (256 MiB); a leak would add that per round.
        Assert.True(workingSetAfterRound[^1] - workingSetAfterRound[0] < 128L * 1024 * 1024, "the process keeps growing across rounds");
    }

    [Fact]
    public async Task Connections_reset_or_closed_in_the_middle_of_reads_and_writes_leave_nothing_behind_and_the_server_keeps_serving()
    {
        var manager = UringTcp.Get(Sys).Manager;
        Sys.ActorOf(Props.Create(() => new EchoServer(manager, TestActor, null)));
        var endpoint = ExpectMsg<Tcp.Bound>(TimeSpan.FromSeconds(10)).LocalAddress;
        var rings = await AllRings();
        var idle = Diagnostics(rings);
        int resets = 0, halfCloses = 0, completed = 0;

        await Task.WhenAll(Enumerable.Range(0, 500).Select(connection => Task.Run(async () =>
        {
            var random = new Random(connection);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint);
                var payload = new byte[random.Next(1, MaxPayload)];
                random.NextBytes(payload);
                var sending = socket.SendAsync(payload, SocketFlags.None);
                await Task.Delay(random.Next(0, 5));
                switch (random.Next(3))
                {
                    case 0: // reset while the server is reading and writing
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        Interlocked.Increment(ref resets);
                        break;
                    case 1: // half-close with the echo still coming, then leave without reading it all
                        await sending;
                        socket.Shutdown(SocketShutdown.Send);
                        await socket.ReceiveAsync(new byte[random.Next(1, 4096)], SocketFlags.None);
                        Interlocked.Increment(ref halfCloses);
                        break;
                    default: // a well-behaved client
                        var echoed = new byte[payload.Length];
                        await Task.WhenAll(sending, SocketReads.ReceiveExactly(socket, echoed));
                        Assert.Equal(payload, echoed);
                        Interlocked.Increment(ref completed);
                        break;
                }
            }
            catch (SocketException)
            {
                // A reset of ours can fail our own pending send: that is the point.
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                socket.Dispose();
            }
        }))).WaitAsync(TimeSpan.FromMinutes(2));

        await AwaitAssertAsync(() => Assert.Equal(idle, Diagnostics(rings)), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        output.WriteLine($"500 connections over {RingCount} rings: {resets} reset, {halfCloses} half-closed and abandoned, {completed} completed; diagnostics back to {Diagnostics(rings)}");
        Assert.True(resets > 0 && halfCloses > 0 && completed > 0);

        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fresh.ConnectAsync(endpoint);
        var probe = "still serving"u8.ToArray();
        var back = new byte[probe.Length];
        await Task.WhenAll(fresh.SendAsync(probe, SocketFlags.None), SocketReads.ReceiveExactly(fresh, back));
        Assert.Equal(probe, back);
    }

    /// <summary>Every ring's diagnostics, ring by ring: each must come back to where it was, not only their sum.</summary>
    private static string Diagnostics(Ring[] rings) => string.Join("; ", rings.Select(ring => ring.Diagnostics));
}

[Collection(nameof(StressCollection))]
public sealed class EchoStressSpecsOnOneRing(ITestOutputHelper output) : EchoStressSpecs(output, 1);

[Collection(nameof(StressCollection))]
public sealed class EchoStressSpecsOnSeveralRings(ITestOutputHelper output) : EchoStressSpecs(output, SeveralRings);

/// <summary>Stress specs run alone: they load both CPUs.</summary>
[CollectionDefinition(nameof(StressCollection), DisableParallelization = true)]
public sealed class StressCollection;
