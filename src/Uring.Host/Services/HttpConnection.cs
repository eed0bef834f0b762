using System.Text;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// A minimal HTTP/1.1 keep-alive responder: answers every request with 200 and a fixed body,
/// pipelined requests included (all the responses to one read go out in one write). Request
/// bodies announced by Content-Length are skipped; <c>Connection: close</c> closes after the
/// response; a header block over 64 KiB is refused with 431. For CPU-bound load tests it can spend
/// a fixed amount of work on each request first (<see cref="SimulatedWork"/>).
/// </summary>
internal sealed class HttpConnection : ConnectionHandler
{
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly IActorRef _connection;
    private readonly byte[] _response;
    private readonly int _workIterations;

    // The bytes of a request that has not fully arrived; allocated only when one is split across reads.
    private byte[] _pending = [];
    private int _count;
    private long _skipBody;

    public HttpConnection(IActorRef connection, byte[] response, int workIterations = 0)
    {
        _connection = connection;
        _response = response;
        _workIterations = workIterations;
    }

    /// <summary>The response bytes for <paramref name="body"/>.</summary>
    public static byte[] ResponseFor(string body)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nServer: Uring\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {content.Length}\r\n\r\n");
        return [.. head, .. content];
    }

    protected override void OnReceived(AkkaTcp.Received received) => OnReceived(received.Data.ToReadOnlySpan());

    protected override void OnReceived(UringTcp.ReceivedLease lease)
    {
        using (lease.Data)
        {
            OnReceived(lease.Data.Memory.Span); // whatever is kept of it is copied: the buffer goes back now
        }
    }

    private void OnReceived(ReadOnlySpan<byte> received)
    {
        bool close;
        if (_count == 0)
        {
            // The usual case, whole requests in one read: parse the received bytes where they are.
            var consumed = Respond(received, out close);
            Keep(received[consumed..]);
        }
        else
        {
            Keep(received);
            Compact(Respond(_pending.AsSpan(0, _count), out close));
        }

        if (close)
        {
            _connection.Tell(AkkaTcp.Close.Instance);
        }
        else if (_count > MaxHeaderBytes)
        {
            _connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")));
            _connection.Tell(AkkaTcp.Close.Instance);
        }
    }

    /// <summary>
    /// Answers every complete request at the start of <paramref name="input"/> with one write, and
    /// returns how many bytes they (and any body being skipped) took. <paramref name="close"/>: a
    /// request asked for <c>Connection: close</c>; nothing after it is read.
    /// </summary>
    private int Respond(ReadOnlySpan<byte> input, out bool close)
    {
        var responses = 0;
        var offset = 0;
        close = false;
        while (true)
        {
            if (_skipBody > 0)
            {
                var skipped = (int)Math.Min(_skipBody, input.Length - offset);
                offset += skipped;
                _skipBody -= skipped;
                if (_skipBody > 0)
                {
                    break;
                }
            }

            var end = input[offset..].IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                break;
            }

            var headers = input.Slice(offset, end);
            offset += end + 4;
            responses++;
            SimulatedWork.Run(_workIterations);
            _skipBody = ContentLength(headers);
            if (HasHeaderValue(headers, "connection:"u8, "close"u8))
            {
                close = true;
                break;
            }
        }

        if (responses > 0)
        {
            _connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(Repeat(_response, responses))));
        }

        return offset;
    }

    /// <summary><paramref name="response"/> <paramref name="times"/> times over, for pipelined requests (the array itself for one).</summary>
    internal static byte[] Repeat(byte[] response, int times)
    {
        if (times == 1)
        {
            return response;
        }

        var all = new byte[response.Length * times];
        for (var i = 0; i < times; i++)
        {
            response.CopyTo(all, i * response.Length);
        }

        return all;
    }

    private static long ContentLength(ReadOnlySpan<byte> headers)
    {
        var at = IndexOfHeader(headers, "content-length:"u8);
        if (at < 0)
        {
            return 0;
        }

        long length = 0;
        foreach (var b in headers[at..])
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                length = (length * 10) + (b - '0');
            }
            else if (b is (byte)'\r')
            {
                break;
            }
        }

        return length;
    }

    private static bool HasHeaderValue(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var at = IndexOfHeader(headers, name);
        if (at < 0)
        {
            return false;
        }

        var line = headers[at..];
        var lineEnd = line.IndexOf("\r\n"u8);
        return Ascii.EqualsIgnoreCase(line[..(lineEnd < 0 ? line.Length : lineEnd)].Trim((byte)' '), value);
    }

    /// <summary>Where <paramref name="name"/>'s value starts (header names are case-insensitive), or -1.</summary>
    private static int IndexOfHeader(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        var start = 0;
        while (start < headers.Length)
        {
            var lineEnd = headers[start..].IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? headers[start..] : headers.Slice(start, lineEnd);
            if (line.Length >= name.Length && Ascii.EqualsIgnoreCase(line[..name.Length], name))
            {
                return start + name.Length;
            }

            if (lineEnd < 0)
            {
                break;
            }

            start += lineEnd + 2;
        }

        return -1;
    }

    /// <summary>Adds <paramref name="bytes"/> to the pending ones.</summary>
    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_count + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(Math.Max(_pending.Length * 2, 4096), _count + bytes.Length));
        }

        bytes.CopyTo(_pending.AsSpan(_count));
        _count += bytes.Length;
    }

    /// <summary>Drops the first <paramref name="consumed"/> pending bytes.</summary>
    private void Compact(int consumed)
    {
        _count -= consumed;
        if (_count > 0)
        {
            Buffer.BlockCopy(_pending, consumed, _pending, 0, _count);
        }
    }
}
