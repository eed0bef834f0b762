using System.Text;
using Akka.Actor;
using Akka.IO;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// A minimal HTTP/1.1 keep-alive responder: answers every well-formed request with 200 and a fixed
/// body, pipelined requests included (all the responses to one read go out in one write). Request
/// bodies announced by Content-Length are skipped; <c>Connection: close</c> closes after the
/// response. What it cannot answer safely it refuses, after the responses to the requests before
/// it, with an empty response that says <c>Connection: close</c>, and then closes without reading
/// on: a malformed request line, header field or Content-Length with 400, any Transfer-Encoding
/// with 501 (with a Content-Length too, 400), a header block over 64 KiB with 431, and one that has
/// not ended within the header timeout of its first byte with 408 (see <see cref="HttpRequestHead"/>).
/// For CPU-bound load tests it can spend a fixed amount of work on each request first
/// (<see cref="SimulatedWork"/>).
/// </summary>
internal sealed class HttpConnection : ConnectionHandler, IWithTimers
{
    /// <summary>How long a request head may take from its first byte to its blank line unless configured: Kestrel's RequestHeadersTimeout.</summary>
    public static readonly TimeSpan DefaultHeaderTimeout = TimeSpan.FromSeconds(30);

    private const int MaxHeaderBytes = 64 * 1024;

    private readonly IActorRef _connection;
    private readonly byte[] _response;
    private readonly int _workIterations;
    private readonly TimeSpan _headerTimeout;

    // The bytes of a request that has not fully arrived; allocated only when one is split across reads.
    private byte[] _pending = [];
    private int _count;
    private long _skipBody;

    // Kept beside the timer so that the usual read, which leaves no partial head, never touches it.
    private bool _headerTimerRunning;

    // Set once a response that closes has gone out: whatever still arrives is not answered.
    private bool _closing;

    public HttpConnection(IActorRef connection, byte[] response, int workIterations = 0, TimeSpan? headerTimeout = null)
    {
        _connection = connection;
        _response = response;
        _workIterations = workIterations;
        _headerTimeout = headerTimeout ?? DefaultHeaderTimeout;
    }

    /// <summary>The actor's timers, set by Akka before it starts; they hold the header timeout.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

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

    protected override void OnOtherMessage(object message)
    {
        if (message is HeaderTimeout)
        {
            _headerTimerRunning = false;
            if (!_closing)
            {
                Refuse(0, HttpRefusal.RequestTimeout);
            }
        }
        else
        {
            base.OnOtherMessage(message);
        }
    }

    private void OnReceived(ReadOnlySpan<byte> received)
    {
        if (_closing)
        {
            return;
        }

        int heads;
        if (_count == 0)
        {
            // The usual case, whole requests in one read: parse the received bytes where they are.
            var consumed = Respond(received, out heads);
            Keep(received[consumed..]);
        }
        else
        {
            Keep(received);
            Compact(Respond(_pending.AsSpan(0, _count), out heads));
        }

        if (_closing)
        {
            return;
        }

        if (_count > MaxHeaderBytes)
        {
            Refuse(0, HttpRefusal.HeaderFieldsTooLarge);
            return;
        }

        TimeHeader(heads > 0);
    }

    /// <summary>
    /// Answers every complete request at the start of <paramref name="input"/> with one write, and
    /// returns how many bytes they (and any body being skipped) took; <paramref name="heads"/> says
    /// how many heads ended. A request that asked for <c>Connection: close</c>, or one refused,
    /// closes the connection, and nothing after it is read.
    /// </summary>
    private int Respond(ReadOnlySpan<byte> input, out int heads)
    {
        var responses = 0;
        var offset = 0;
        heads = 0;
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

            // RFC 9112 §2.2: a server should ignore empty lines before a request line; some clients
            // send a CRLF after a body.
            while (input[offset..].StartsWith("\r\n"u8))
            {
                offset += 2;
            }

            var rest = input[offset..];
            var end = rest.IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (!rest.IsEmpty && !HttpRequestHead.CouldStartRequest(rest))
                {
                    Refuse(responses, HttpRefusal.BadRequest);
                    return input.Length;
                }

                break;
            }

            heads++;
            offset += end + 4;
            var refusal = HttpRequestHead.Read(rest[..end], out _skipBody, out var close);
            if (refusal != HttpRefusal.None)
            {
                Refuse(responses, refusal);
                return input.Length;
            }

            responses++;
            SimulatedWork.Run(_workIterations);
            if (close)
            {
                Answer(responses);
                Close();
                return input.Length;
            }
        }

        Answer(responses);
        return offset;
    }

    /// <summary>Sends the fixed response <paramref name="responses"/> times over in one write (none for 0).</summary>
    private void Answer(int responses)
    {
        if (responses > 0)
        {
            _connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(Repeat(_response, responses))));
        }
    }

    /// <summary>Sends the answers to the <paramref name="responses"/> requests before the refused one and the refusal, in one write, then closes.</summary>
    private void Refuse(int responses, HttpRefusal refusal)
    {
        byte[] refused = HttpRefusalResponses.Of(refusal);
        _connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(responses == 0 ? refused : [.. Repeat(_response, responses), .. refused])));
        Close();
    }

    /// <summary>Closes after the writes already sent (Akka.IO's Close flushes them) and stops answering.</summary>
    private void Close()
    {
        _closing = true;
        if (_headerTimerRunning)
        {
            Timers.Cancel(HeaderTimeout.Instance);
            _headerTimerRunning = false;
        }

        _connection.Tell(AkkaTcp.Close.Instance);
    }

    /// <summary>
    /// Keeps the header timer running exactly while a head is partly here: started by the first
    /// byte of a head, not restarted by more bytes of the same head (the limit is on the whole
    /// head, as Kestrel's), restarted for the next head when one has ended in this read, and
    /// stopped when no partial head is left. An idle keep-alive connection has no timer.
    /// </summary>
    private void TimeHeader(bool headEnded)
    {
        if (_count == 0)
        {
            if (_headerTimerRunning)
            {
                Timers.Cancel(HeaderTimeout.Instance);
                _headerTimerRunning = false;
            }
        }
        else if (headEnded || !_headerTimerRunning)
        {
            Timers.StartSingleTimer(HeaderTimeout.Instance, HeaderTimeout.Instance, _headerTimeout);
            _headerTimerRunning = true;
        }
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

    /// <summary>The header timer's key and message.</summary>
    private sealed class HeaderTimeout
    {
        private HeaderTimeout()
        {
        }

        public static HeaderTimeout Instance { get; } = new();
    }
}
