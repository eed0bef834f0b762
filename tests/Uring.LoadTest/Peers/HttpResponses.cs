using System.Text;

namespace Uring.LoadTest.Peers;

/// <summary>The fixed response every peer sends (the same bytes as the host's default), repeated for pipelined requests.</summary>
internal static class HttpResponses
{
    public const string Body = "Hello from io_uring!\n";

    private static readonly byte[] One = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nServer: Uring\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Body.Length}\r\n\r\n{Body}");

    private static readonly byte[][] Repeated = [.. Enumerable.Range(0, 17).Select(Build)];

    /// <summary>The bytes answering <paramref name="requests"/> requests (cached up to 16).</summary>
    public static byte[] For(int requests) => requests < Repeated.Length ? Repeated[requests] : Build(requests);

    private static byte[] Build(int requests)
    {
        var all = new byte[One.Length * requests];
        for (var i = 0; i < requests; i++)
        {
            One.CopyTo(all, i * One.Length);
        }

        return all;
    }
}
