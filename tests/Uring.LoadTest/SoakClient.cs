using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Uring.LoadTest;

/// <summary>
/// The long soak (the CI stress specs are its short form): N connections echo random payloads of
/// 1 B – 256 KiB against an echo server for as long as asked, each compared byte for byte; now and
/// then a connection resets itself mid-transfer and reconnects. Reports every 10 s; exits 1 if a
/// byte ever came back wrong or a well-behaved connection failed.
/// </summary>
internal static class SoakClient
{
    private const int MaxPayload = 256 * 1024;

    internal static async Task<int> RunAsync(IPEndPoint server, int connections, TimeSpan duration)
    {
        long messages = 0, bytes = 0, corrupted = 0, resets = 0, failures = 0;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var report = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                Console.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} messages={Interlocked.Read(ref messages)} bytes={Interlocked.Read(ref bytes)} corrupted={Interlocked.Read(ref corrupted)} resets={Interlocked.Read(ref resets)} failures={Interlocked.Read(ref failures)}");
            }
        });
        await Task.WhenAll(Enumerable.Range(0, connections).Select(connection => Task.Run(async () =>
        {
            var random = new Random(connection);
            while (!stop.IsCancellationRequested)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(server, stop.Token);
                    for (var i = random.Next(1, 50); i > 0 && !stop.IsCancellationRequested; i--)
                    {
                        var payload = new byte[(int)Math.Clamp(Math.Exp(random.NextDouble() * Math.Log(MaxPayload)), 1, MaxPayload)];
                        random.NextBytes(payload);
                        var echoed = new byte[payload.Length];
                        await Task.WhenAll(socket.SendAsync(payload, SocketFlags.None), SocketReads.ReceiveExactly(socket, echoed));
                        if (!payload.AsSpan().SequenceEqual(echoed))
                        {
                            Interlocked.Increment(ref corrupted);
                        }

                        Interlocked.Increment(ref messages);
                        Interlocked.Add(ref bytes, payload.Length);
                    }

                    if (random.Next(10) == 0)
                    {
                        await socket.SendAsync(new byte[random.Next(1, MaxPayload)], SocketFlags.None);
                        socket.LingerState = new LingerOption(true, 0); // reset with the echo still coming
                        Interlocked.Increment(ref resets);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (Exception error) when (error is SocketException or InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"connection {connection}: {error.Message}");
                }
            }
        })));
        await report;
        Console.WriteLine($"done in {clock.Elapsed:hh\\:mm\\:ss}: messages={messages} bytes={bytes} corrupted={corrupted} resets={resets} failures={failures}");
        return corrupted == 0 && failures == 0 ? 0 : 1;
    }
}
