using System.Net;
using System.Net.Sockets;

namespace Uring.LoadTest.Peers;

/// <summary>
/// The Uring.Ring peer: one thread, one ring, multishot accept and a multishot receive per
/// connection, every SQE prepared while handling a batch of completions flushed together. What a
/// user writing directly on the ring's object API gets, without actors. Its one thread both submits
/// and waits, so its ring has the C liburing peer's setup flags, <see cref="DefaultFlags"/>: the
/// kernel then runs completion work when the thread enters it instead of interrupting the thread
/// for each completion. Experiment knobs (see docs/performance-log.md, items 13 and 15): <c>RING_SHARED_POOL=n</c>
/// receives through one shared pool of n buffers, <c>RING_FLAGS="None"</c> (or any other
/// combination) replaces the setup flags.
/// </summary>
internal sealed class RingServer
{
    private const int ReceiveBufferSize = 16384;
    private const int ReceiveBufferCount = 8;
    private const RingSetupFlags DefaultFlags = RingSetupFlags.SingleIssuer | RingSetupFlags.CoopTaskrun;

    private readonly bool _http;
    private readonly Ring _ring;
    private readonly object _acceptTag = new();
    private readonly ReceiveBufferPool? _pool;

    private RingServer(bool http, Ring ring)
    {
        _http = http;
        _ring = ring;
        var pooled = Environment.GetEnvironmentVariable("RING_SHARED_POOL");
        if (int.TryParse(pooled, out var count) && count > 0)
        {
            _pool = ring.RegisterReceiveBufferPool(ReceiveBufferSize, count);
        }
    }

    public static void Run(bool http, int port, Action<EndPoint> ready)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        var flags = Environment.GetEnvironmentVariable("RING_FLAGS") is { } named ? Enum.Parse<RingSetupFlags>(named) : DefaultFlags;
        using var ring = new Ring(new RingOptions { Entries = 256, CompletionQueueEntries = 16384, Flags = flags }) { AutoSubmit = false };
        var server = new RingServer(http, ring);
        server._ring.SubmitAcceptMultishot(listener, userData: server._acceptTag);
        server._ring.Flush();
        ready(listener.LocalEndPoint!);
        server.Serve(listener);
    }

    private void Serve(Socket listener)
    {
        while (true)
        {
            var completion = _ring.Wait();
            while (completion is { } next)
            {
                Handle(next, listener);
                completion = _ring.Wait(TimeSpan.Zero);
            }

            _ring.Flush();
        }
    }

    private void Handle(Completion completion, Socket listener)
    {
        if (ReferenceEquals(completion.UserData, _acceptTag))
        {
            if (completion.Result is AcceptedSocket accepted)
            {
                // As every other peer: no Nagle delay for small writes (a view of the fd, not its owner).
                using (var view = new Socket(new SafeSocketHandle(accepted.Fd, ownsHandle: false)))
                {
                    view.NoDelay = true;
                }

                var connection = new Connection(accepted.Fd);
                Receive(connection);
            }

            if (!completion.HasMore)
            {
                _ring.SubmitAcceptMultishot(listener, userData: _acceptTag);
            }

            return;
        }

        switch (completion.UserData)
        {
            case ReceiveTag receive:
                OnReceived(receive.Connection, completion);
                break;
            case Connection connection:
                OnSent(connection, completion);
                break;
        }
    }

    private void Receive(Connection connection)
    {
        if (_pool is null)
        {
            _ring.SubmitRecvMultishot(connection.Fd, ReceiveBufferSize, ReceiveBufferCount, connection.ReceiveTag);
        }
        else
        {
            _ring.SubmitRecvMultishot(connection.Fd, _pool, connection.ReceiveTag);
        }
    }

    private void OnReceived(Connection connection, Completion completion)
    {
        if (completion.Res > 0)
        {
            if (_http)
            {
                connection.PendingRequests += connection.Requests.Count(completion.Data.Span);
            }
            else
            {
                connection.Outgoing.Enqueue(completion.Data);
            }

            SendNext(connection);
        }

        if (!completion.HasMore)
        {
            if (completion.Res > 0 || completion.Error == Errno.ENOBUFS)
            {
                Receive(connection);
            }
            else
            {
                connection.Closed = true;
                CloseWhenIdle(connection);
            }
        }
    }

    private void OnSent(Connection connection, Completion completion)
    {
        connection.Sending = false;
        if (completion.Res < 0)
        {
            connection.Outgoing.Clear();
            connection.PendingRequests = 0;
        }
        else if (completion.Res < connection.InFlight.Length)
        {
            connection.InFlight = connection.InFlight[completion.Res..]; // partial send: the rest first
            connection.Sending = true;
            _ring.SubmitSend(connection.Fd, connection.InFlight, connection, MessageFlags.NoSignal);
            return;
        }

        SendNext(connection);
        CloseWhenIdle(connection);
    }

    private void SendNext(Connection connection)
    {
        if (connection.Sending || connection.Closed)
        {
            return;
        }

        if (_http && connection.PendingRequests > 0)
        {
            connection.InFlight = HttpResponses.For(connection.PendingRequests);
            connection.PendingRequests = 0;
        }
        else if (!_http && connection.Outgoing.Count > 1)
        {
            // Several received chunks wait: gather them into one sendmsg (joined: a copy keeps partial sends simple).
            var gathered = new List<ReadOnlyMemory<byte>>();
            while (gathered.Count < 16 && connection.Outgoing.TryDequeue(out var chunk))
            {
                gathered.Add(chunk);
            }

            var joined = new byte[gathered.Sum(chunk => chunk.Length)];
            var at = 0;
            foreach (var chunk in gathered)
            {
                chunk.CopyTo(joined.AsMemory(at));
                at += chunk.Length;
            }

            connection.InFlight = joined;
        }
        else if (!_http && connection.Outgoing.TryDequeue(out var data))
        {
            connection.InFlight = data;
        }
        else
        {
            return;
        }

        connection.Sending = true;
        _ring.SubmitSend(connection.Fd, connection.InFlight, connection, MessageFlags.NoSignal);
    }

    private void CloseWhenIdle(Connection connection)
    {
        if (connection.Closed && !connection.Sending)
        {
            _ring.SubmitClose(connection.Fd);
        }
    }

    private sealed class Connection
    {
        public Connection(int fd)
        {
            Fd = fd;
            ReceiveTag = new ReceiveTag(this);
        }

        public int Fd { get; }

        public ReceiveTag ReceiveTag { get; }

        public RequestCounter Requests;

        public int PendingRequests { get; set; }

        public Queue<ReadOnlyMemory<byte>> Outgoing { get; } = new();

        public ReadOnlyMemory<byte> InFlight { get; set; }

        public bool Sending { get; set; }

        public bool Closed { get; set; }
    }

    private sealed record ReceiveTag(Connection Connection);
}
