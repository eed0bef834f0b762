using System.Net.Sockets;

namespace Uring.LoadTest;

/// <summary>
/// Reading a known number of bytes back from a socket, as both load generators and the actor specs
/// do (tests/Uring.Actors.Tests links this file).
/// </summary>
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

    /// <summary>The next <paramref name="count"/> bytes from <paramref name="socket"/>, within 10 seconds.</summary>
    internal static async Task<byte[]> ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        await ReceiveExactly(socket, buffer).WaitAsync(TimeSpan.FromSeconds(10));
        return buffer;
    }
}
