using System.Text;
using Uring;

var probe = UringProbe.Probe();
Console.WriteLine(probe);
if (!probe.Available)
{
    return 1;
}

// Self-check: one send and one receive over a socketpair, through the ring.
var (left, right) = SocketPair.Create();
using (left)
using (right)
using (var ring = new Ring())
{
    var payload = Encoding.ASCII.GetBytes("hello, io_uring");
    var buffer = new byte[64];
    ring.SubmitRecv(right, buffer, "recv");
    ring.SubmitSend(left, payload, "send");
    for (var i = 0; i < 2; i++)
    {
        var completion = ring.Wait(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no completion within 5 s");
        Console.WriteLine($"{completion.UserData}: {completion}");
    }

    Console.WriteLine($"received: {Encoding.ASCII.GetString(buffer, 0, payload.Length)}");
}

return 0;
