using System.Text;

namespace Uring.Host.Services;

/// <summary>The responses that go with each <see cref="HttpRefusal"/>.</summary>
internal static class HttpRefusalResponses
{
    private static readonly byte[] BadRequest = Response("400 Bad Request");
    private static readonly byte[] NotImplemented = Response("501 Not Implemented");
    private static readonly byte[] RequestTimeout = Response("408 Request Timeout");
    private static readonly byte[] HeaderFieldsTooLarge = Response("431 Request Header Fields Too Large");

    /// <summary>The whole response for <paramref name="refusal"/>: a status line, no body, and <c>Connection: close</c>.</summary>
    public static byte[] Of(HttpRefusal refusal) => refusal switch
    {
        HttpRefusal.BadRequest => BadRequest,
        HttpRefusal.NotImplemented => NotImplemented,
        HttpRefusal.RequestTimeout => RequestTimeout,
        HttpRefusal.HeaderFieldsTooLarge => HeaderFieldsTooLarge,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal."),
    };

    private static byte[] Response(string status) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nServer: Uring\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}
