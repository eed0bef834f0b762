using Uring.Host.Services;

namespace Uring.LoadTest.Peers;

/// <summary>The host's own response (same bytes, same builder), cached for up to 16 pipelined requests.</summary>
internal static class HttpResponses
{
    public const string Body = "Hello from io_uring!\n";

    private static readonly byte[] One = HttpConnection.ResponseFor(Body);

    private static readonly byte[][] Repeated = [.. Enumerable.Range(0, 17).Select(times => HttpConnection.Repeat(One, times))];

    /// <summary>The bytes answering <paramref name="requests"/> requests.</summary>
    public static byte[] For(int requests) => requests < Repeated.Length ? Repeated[requests] : HttpConnection.Repeat(One, requests);
}
