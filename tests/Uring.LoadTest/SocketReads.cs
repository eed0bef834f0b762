using System.Net.Sockets;

namespace Uring.LoadTest;

/// <summary>Reading a whole echo back, as both load generators do.</summary>
internal static class SocketReads
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="socket"/>; throws if the server closes first.</summary>
    internal static async Task ReceiveExactly(Socket socket, byte[] buffer)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException($"the server closed the connection after {received} of {buffer.Length} bytes");
            }

            received += read;
        }
    }
}
