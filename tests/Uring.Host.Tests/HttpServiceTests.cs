using System.Net;
using System.Net.Sockets;
using System.Text;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

public sealed class HttpServiceTests
{
    [Fact]
    public async Task HttpClient_gets_200_and_the_body_for_every_request_over_one_kept_alive_connection()
    {
        await using var host = await RunningHost.StartAsync();
        var endpoint = await host.EndpointOf("http");
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (context, cancel) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://{endpoint}/") };

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(i % 2 == 0 ? "/" : $"/anything?{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Hello from io_uring!\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, connections);
    }

    [Fact]
    public async Task Pipelined_requests_in_one_write_get_one_response_each_in_order()
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));

        const int requests = 16;
        var request = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(request, requests))));

        var responses = await ReadResponses(socket, requests);
        Assert.Equal(requests, responses.Count);
        Assert.All(responses, response => Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)] // as shipped: each piece a lease, whatever is incomplete copied out before it goes back
    [InlineData(false)] // Akka.IO's copied Received
    public async Task A_request_split_across_many_writes_is_answered_once_it_is_complete(bool leasedReceive)
    {
        await using var host = await RunningHost.StartAsync($"--Uring:Tcp:LeasedReceive={leasedReceive}");
        using var socket = await Connect(await host.EndpointOf("http"));

        foreach (var piece in new[] { "GET / HT", "TP/1.1\r\nHo", "st: test\r", "\n\r", "\n" })
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(piece));
            await Task.Delay(20);
        }

        var responses = await ReadResponses(socket, 1);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", responses[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_body_announced_by_Content_Length_is_skipped_not_parsed_as_a_request()
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));

        var body = "GET / HTTP/1.1\r\n\r\n"; // looks like a request, but is a body
        var post = $"POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(post + "GET / HTTP/1.1\r\n\r\n"));

        var responses = await ReadResponses(socket, 2);
        Assert.Equal(2, responses.Count);
        await AssertNoMoreData(socket);
    }

    [Fact]
    public async Task Connection_close_gets_its_response_and_then_the_server_closes()
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n"));

        var responses = await ReadResponses(socket, 1);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", responses[0], StringComparison.Ordinal);
        var buffer = new byte[16];
        Assert.Equal(0, await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_endless_header_block_is_refused_with_431_and_a_close()
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));

        var header = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X-Padding: 0123456789abcdef\r\n", 4000)));
        try
        {
            await socket.SendAsync(header);
        }
        catch (SocketException)
        {
            // The server may close while we are still writing.
        }

        var response = Encoding.ASCII.GetString(await ReadToEnd(socket));
        Assert.StartsWith("HTTP/1.1 431 ", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003", "400")] // a TLS ClientHello: binary, and no line end ever comes
    [InlineData("\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n", "400")] // a binary method
    [InlineData("GET /caf\u00e9 HTTP/1.1\r\n\r\n", "400")] // a non-ASCII request target
    [InlineData("GET /\r\nHost: test\r\n\r\n", "400")] // no HTTP version
    [InlineData("GET / HTTP/2.0\r\nHost: test\r\n\r\n", "400")] // not HTTP/1.x
    [InlineData("GET / HTTP/1.1\r\nHost test\r\n\r\n", "400")] // a header line without a colon
    [InlineData("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "400")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", "400")] // overflows a long
    [InlineData("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "400")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", "400")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "400")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "501")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "501")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", "400")] // both: the smuggling shape
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", "400")] // a space before the colon would hide the header
    public async Task A_request_it_cannot_answer_safely_is_refused_with_an_empty_closing_response_and_then_the_server_closes(string request, string status)
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));

        await socket.SendAsync(Encoding.Latin1.GetBytes(request));

        var response = Assert.Single(SplitResponses(await ReadUntilClosed(socket)));
        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 0\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "400")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "501")]
    public async Task Good_requests_pipelined_before_a_bad_one_get_their_200s_first_and_then_the_refusal(string bad, string status)
    {
        await using var host = await RunningHost.StartAsync();
        using var socket = await Connect(await host.EndpointOf("http"));
        const string good = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

        await socket.SendAsync(Encoding.ASCII.GetBytes(good + good + bad + good));

        var responses = SplitResponses(await ReadUntilClosed(socket));
        Assert.Equal(3, responses.Count);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", responses[0], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", responses[1], StringComparison.Ordinal);
        Assert.StartsWith($"HTTP/1.1 {status} ", responses[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)] // the head's first bytes, then nothing
    [InlineData(4)] // a byte every 250 ms until 750 ms: the timer runs from the head's first byte, more bytes do not restart it
    public async Task A_request_head_that_has_not_ended_within_the_header_timeout_gets_408_and_a_close(int pieces)
    {
        await using var host = await RunningHost.StartAsync("--Uring:Services:Http:HeaderTimeout=00:00:01");
        using var socket = await Connect(await host.EndpointOf("http"));
        var started = TimeProvider.System.GetTimestamp();

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: te"));
        try
        {
            for (var i = 1; i < pieces; i++)
            {
                await Task.Delay(250);
                await socket.SendAsync("s"u8.ToArray());
            }
        }
        catch (SocketException)
        {
            // A slow machine may send the last bytes after the close.
        }

        var response = Assert.Single(SplitResponses(await ReadUntilClosed(socket)));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.7)); // restarted by the last byte it would be 1.75 s
    }

    [Theory]
    [InlineData(false)] // idle from the connect
    [InlineData(true)] // idle between keep-alive requests
    public async Task A_connection_idle_without_a_partial_request_outlives_the_header_timeout(bool afterARequest)
    {
        await using var host = await RunningHost.StartAsync("--Uring:Services:Http:HeaderTimeout=00:00:01");
        using var socket = await Connect(await host.EndpointOf("http"));
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        if (afterARequest)
        {
            await socket.SendAsync(request);
            Assert.Single(await ReadResponses(socket, 1));
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await socket.SendAsync(request);

        var responses = await ReadResponses(socket, 1);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Assert.Single(responses), StringComparison.Ordinal);
    }

    private static async Task<Socket> Connect(EndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>Reads until <paramref name="count"/> complete responses (head plus Content-Length body) have arrived.</summary>
    private static async Task<List<string>> ReadResponses(Socket socket, int count)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var responses = SplitResponses(received.ToString());
            if (responses.Count >= count)
            {
                return responses;
            }

            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return responses;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    private static List<string> SplitResponses(string text)
    {
        var responses = new List<string>();
        var at = 0;
        while (true)
        {
            var headEnd = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                return responses;
            }

            var head = text[at..headEnd];
            var lengthLine = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var end = headEnd + 4 + length;
            if (end > text.Length)
            {
                return responses;
            }

            responses.Add(text[at..end]);
            at = end;
        }
    }

    private static async Task<byte[]> ReadToEnd(Socket socket)
    {
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (received.Length > 0)
        {
            // A reset after the response (our unread bytes) still leaves the response readable.
        }

        return received.ToArray();
    }

    /// <summary>Reads until the server closes (a read returns 0, not a reset), within a bounded wait.</summary>
    private static async Task<string> ReadUntilClosed(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    private static async Task AssertNoMoreData(Socket socket)
    {
        var buffer = new byte[1];
        var receive = socket.ReceiveAsync(buffer);
        var finished = await Task.WhenAny(receive, Task.Delay(200));
        Assert.NotSame(receive, finished);
    }
}
