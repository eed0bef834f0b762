using System.Net.Sockets;

namespace Uring.Actors.Tests;

/// <summary>Reading a known number of bytes from a client socket.</summary>
internal static class SocketReads
{
    /// <summary>Fills <paramref name="buffer"/>; throws if the server closes the connection first.</summary>
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

    /// <summary>The next <paramref name="count"/> bytes, within 10 seconds.</summary>
    internal static async Task<byte[]> ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        await ReceiveExactly(socket, buffer).WaitAsync(TimeSpan.FromSeconds(10));
        return buffer;
    }
}
