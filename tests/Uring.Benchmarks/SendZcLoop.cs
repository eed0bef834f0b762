using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Uring.Benchmarks;

/// <summary>
/// Is IORING_OP_SEND_ZC worth it for large writes here? One loopback TCP connection; the ring sends
/// the same buffer over and over — with SEND and with SEND_ZC, at several sizes — while a plain
/// thread drains the other end. Reported per size and opcode: MiB/s and the sending process's CPU
/// microseconds per MiB (this process also runs the reader, the same for both).
/// <c>dotnet run -c Release --project tests/Uring.Benchmarks -- sendzc [megabytes]</c>.
/// </summary>
internal static class SendZcLoop
{
    internal static void Run(long megabytes)
    {
        Console.WriteLine("# size | opcode | MiB/s | CPU us per MiB (sender and reader)");
        foreach (var size in new[] { 4096, 16384, 65536, 262144, 1 << 20 })
        {
            foreach (var zeroCopy in new[] { false, true })
            {
                Measure(size, zeroCopy, megabytes / 8); // warm-up
                var (rate, cpu) = Measure(size, zeroCopy, megabytes);
                Console.WriteLine($"{size} | {(zeroCopy ? "SEND_ZC" : "SEND")} | {rate:F0} | {cpu:F1}");
            }
        }
    }

    private static (double MibPerSecond, double CpuPerMib) Measure(int size, bool zeroCopy, long megabytes)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sender.Connect(listener.LocalEndPoint!);
        using var receiver = listener.Accept();
        var total = megabytes << 20;
        var reader = new Thread(() =>
        {
            var sink = new byte[1 << 20];
            long read = 0;
            try
            {
                while (read < total)
                {
                    read += receiver.Receive(sink);
                }
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"reader: {e.Message} after {read} bytes");
            }
        });
        reader.Start();

        using var ring = new Ring(new RingOptions { Entries = 64, Flags = RingSetupFlags.SingleIssuer });
        var data = GC.AllocateArray<byte>(size, pinned: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < total)
        {
            var length = (int)Math.Min(size, total - sent);
            try
            {
                if (zeroCopy)
                {
                    ring.SubmitSendZc(sender, data.AsMemory(0, length));
                }
                else
                {
                    ring.SubmitSend(sender, data.AsMemory(0, length));
                }
            }
            catch (SubmissionQueueFullException)
            {
                // Zero-copy sends hold their slot until the kernel's notification: reap some (a send's own completion counts as usual).
                if (ring.Wait(TimeSpan.FromMilliseconds(1)) is { Res: > 0 } reaped)
                {
                    sent += reaped.Res;
                }

                continue;
            }

            var completion = ring.Wait() ?? throw new InvalidOperationException("no completion");
            sent += completion.Res > 0 ? completion.Res : throw new InvalidOperationException($"send failed: {completion.Error}");
        }

        reader.Join();
        while (ring.InFlight > 0)
        {
            ring.Wait(TimeSpan.FromMilliseconds(10)); // the zero-copy notifications
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (megabytes / seconds, used.TotalMicroseconds / megabytes);
    }
}
