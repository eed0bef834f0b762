using System.Buffers;
using System.Globalization;
using System.Text;

namespace Uring.Host.Services;

/// <summary>
/// Checks an HTTP/1.x request head (RFC 9112) in place, with span scans and no allocation, and
/// finds the little the responder needs from it: the body length to skip and whether the client
/// asked for <c>Connection: close</c>. Anything it cannot read safely is refused rather than guessed.
/// </summary>
internal static class HttpRequestHead
{
    /// <summary>RFC 9110's <c>tchar</c>: the bytes of a method or a header field name.</summary>
    private static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes a header field value may never hold (RFC 9112 §5: a recipient must reject them, not guess where a line ends).</summary>
    private static readonly SearchValues<byte> ForbiddenInValue = SearchValues.Create("\r\n\0"u8);

    /// <summary>
    /// Reads <paramref name="head"/>, a request line and header fields up to (without) the blank line.
    /// </summary>
    /// <param name="head">The head, its lines separated by CRLF.</param>
    /// <param name="contentLength">The body length announced by <c>Content-Length</c> (0 without one).</param>
    /// <param name="close">Whether the request said <c>Connection: close</c>.</param>
    /// <returns>
    /// <see cref="HttpRefusal.None"/> for a head the responder may answer;
    /// <see cref="HttpRefusal.BadRequest"/> for a malformed request line or header field, a
    /// <c>Content-Length</c> that is not a number of bytes that fits a long, several that disagree,
    /// or one together with <c>Transfer-Encoding</c> (RFC 9112 §6.1 lets a server reject that pair,
    /// the classic request-smuggling shape, and we do);
    /// <see cref="HttpRefusal.NotImplemented"/> for any other <c>Transfer-Encoding</c>: the service
    /// decodes none, and reading a chunked body as the next request would be smuggling.
    /// </returns>
    public static HttpRefusal Read(ReadOnlySpan<byte> head, out long contentLength, out bool close)
    {
        contentLength = 0;
        close = false;
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!IsRequestLine(lineEnd < 0 ? head : head[..lineEnd]))
        {
            return HttpRefusal.BadRequest;
        }

        var hasContentLength = false;
        var hasTransferEncoding = false;
        var fields = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!fields.IsEmpty)
        {
            lineEnd = fields.IndexOf("\r\n"u8);
            var field = lineEnd < 0 ? fields : fields[..lineEnd];
            fields = lineEnd < 0 ? [] : fields[(lineEnd + 2)..];

            // field-name ":" OWS field-value OWS. A name must be a token right up to the colon: a
            // space before it ("Transfer-Encoding : chunked") or a folded line would otherwise hide
            // a header this reader should have seen from it (RFC 9112 §5.1, §5.2).
            var colon = field.IndexOfAnyExcept(Token);
            if (colon <= 0 || field[colon] != (byte)':')
            {
                return HttpRefusal.BadRequest;
            }

            var name = field[..colon];
            var value = field[(colon + 1)..].Trim(" \t"u8);
            if (value.ContainsAny(ForbiddenInValue))
            {
                return HttpRefusal.BadRequest;
            }

            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                // Digits only (NumberStyles.None: no sign, no spaces), and false on overflow.
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    || (hasContentLength && length != contentLength))
                {
                    return HttpRefusal.BadRequest;
                }

                contentLength = length;
                hasContentLength = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                hasTransferEncoding = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close |= Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return !hasTransferEncoding ? HttpRefusal.None
            : hasContentLength ? HttpRefusal.BadRequest
            : HttpRefusal.NotImplemented;
    }

    /// <summary>
    /// Whether <paramref name="partial"/>, the start of a head whose end has not arrived, can still
    /// become a request: a complete request line must be valid, an incomplete one may hold only
    /// printable ASCII. Binary or TLS bytes on the port are so refused at once, without waiting
    /// for a blank line they may never send.
    /// </summary>
    public static bool CouldStartRequest(ReadOnlySpan<byte> partial)
    {
        var lineEnd = partial.IndexOf("\r\n"u8);
        if (lineEnd >= 0)
        {
            return IsRequestLine(partial[..lineEnd]);
        }

        if (partial is [.. var start, (byte)'\r'])
        {
            partial = start; // the CR of a CRLF still on its way
        }

        return !partial.ContainsAnyExceptInRange((byte)' ', (byte)'~');
    }

    /// <summary><c>method SP request-target SP HTTP/1.x</c>: a token, printable ASCII without spaces, a 1.x version.</summary>
    private static bool IsRequestLine(ReadOnlySpan<byte> line)
    {
        var methodEnd = line.IndexOfAnyExcept(Token);
        if (methodEnd <= 0 || line[methodEnd] != (byte)' ')
        {
            return false;
        }

        var target = line[(methodEnd + 1)..];
        var targetEnd = target.IndexOfAnyExceptInRange((byte)'!', (byte)'~');
        if (targetEnd <= 0 || target[targetEnd] != (byte)' ')
        {
            return false;
        }

        var version = target[(targetEnd + 1)..];
        return version is [(byte)'H', (byte)'T', (byte)'T', (byte)'P', (byte)'/', (byte)'1', (byte)'.', >= (byte)'0' and <= (byte)'9'];
    }
}
