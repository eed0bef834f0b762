using System.Net;
using System.Net.Sockets;

namespace Uring.Tests.Infrastructure;

/// <summary>Real connected sockets on loopback for tests (ports chosen by the kernel).</summary>
public static class Loopback
{
    /// <summary>A connected TCP pair over <paramref name="address"/> (127.0.0.1 or ::1).</summary>
    public static (Socket Client, Socket Server) TcpPair(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(1);
        var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        server.NoDelay = true;
        return (client, server);
    }

    /// <summary>Waits for the next completion, failing the test after five seconds rather than hanging it.</summary>
    public static Completion Next(this Ring ring)
    {
        var completion = ring.Wait(TimeSpan.FromSeconds(5));
        Assert.True(completion.HasValue, "no completion arrived within 5 s");
        return completion.Value;
    }

    /// <summary>Reaps <paramref name="count"/> completions, keyed by their user data.</summary>
    public static Dictionary<object, Completion> NextByUserData(this Ring ring, int count)
    {
        var result = new Dictionary<object, Completion>();
        for (var i = 0; i < count; i++)
        {
            var completion = ring.Next();
            result.Add(completion.UserData!, completion);
        }

        return result;
    }
}
