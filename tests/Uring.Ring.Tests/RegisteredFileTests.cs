using System.Net;
using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

public class RegisteredFileTests
{
    private static readonly TimeSpan PeerPatience = TimeSpan.FromSeconds(5);

    [FileTableFact]
    public void A_connection_accepted_into_the_table_exchanges_data_through_its_direct_descriptor_and_closes_through_the_ring()
    {
        using var listener = Listener();
        using var ring = new Ring();
        ring.RegisterFileTable(4);

        ring.SubmitAcceptDirect(listener, userData: "accept");
        using var client = Connect(listener);
        var accepted = ring.Next();

        Assert.Equal(CompletionKind.AcceptDirect, accepted.Kind);
        var direct = Assert.IsType<AcceptedRegisteredFile>(accepted.Result);
        Assert.Equal(accepted.Res, direct.File.Index);
        Assert.InRange(direct.File.Index, 0, 3);
        Assert.Equal(client.LocalEndPoint, direct.RemoteEndPoint);
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);

        client.Send("ping"u8);
        var buffer = new byte[16];
        ring.SubmitRecv(direct.File, buffer);
        Assert.Equal(4, ring.Next().Res);
        Assert.Equal("ping"u8.ToArray(), buffer[..4]);

        ring.SubmitSend(direct.File, "pong"u8.ToArray());
        Assert.Equal(4, ring.Next().Res);
        Assert.Equal("pong", ReceiveText(client, 4));

        ring.SubmitClose(direct.File, "close");
        var closed = ring.Next();
        Assert.Equal(("close", CompletionKind.Close, 0), (closed.UserData, closed.Kind, closed.Res));
        Assert.Equal(0, ReceiveWithin(client, buffer)); // the table held the last reference: the peer sees end of stream
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [FileTableFact]
    public void A_receive_with_a_deadline_and_a_shared_pool_receive_both_work_on_a_direct_descriptor()
    {
        using var ring = new Ring();
        ring.RegisterFileTable(2);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var file = ring.RegisterFile(b, 0);

            ring.SubmitRecv(file, new byte[8], TimeSpan.FromMilliseconds(30), "silent"); // linked timeout behind a fixed-file recv
            var silent = ring.Next();
            Assert.Equal((Errno.ECANCELED, true), (silent.Error, silent.TimedOut));

            using (var pool = ring.RegisterReceiveBufferPool(bufferSize: 16, bufferCount: 2))
            {
                var receive = ring.SubmitRecvMultishot(file, pool, "pooled");
                a.Send("hi"u8);
                Assert.Equal("hi"u8.ToArray(), ring.Next().Data.ToArray());
                ring.SubmitCancel(receive, "cancel");
                Assert.Equal(Errno.ECANCELED, ring.NextByUserData(2)["pooled"].Error);
            }

            ring.SubmitClose(file);
            Assert.Equal(0, ring.Next().Res);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
    }

    [FileTableFact]
    public void Closing_a_slot_that_is_already_empty_reports_ebadf()
    {
        using var ring = new Ring();
        ring.RegisterFileTable(2);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var file = ring.RegisterFile(a, 1);
            ring.SubmitClose(file);
            Assert.Equal(0, ring.Next().Res);

            ring.SubmitClose(file);
            Assert.Equal(Errno.EBADF, ring.Next().Error);
        }
    }

    [FileTableFact]
    public void A_registered_socket_keeps_working_after_its_own_descriptor_is_closed()
    {
        using var ring = new Ring();
        ring.RegisterFileTable(4);
        var (mine, peer) = SocketPair.Create();
        using (peer)
        {
            RegisteredFile file;
            using (mine)
            {
                file = ring.RegisterFile(mine, 2);
            }

            Assert.Equal(2, file.Index);
            peer.Send("still here"u8);
            var buffer = new byte[32];
            ring.SubmitRecv(file, buffer);
            Assert.Equal(10, ring.Next().Res);

            ring.SubmitClose(file);
            Assert.Equal(0, ring.Next().Res);
            Assert.Equal(0, ReceiveWithin(peer, buffer));
        }
    }

    [FileTableFact]
    public void A_full_table_refuses_the_next_connection_with_enfile()
    {
        using var listener = Listener();
        using var ring = new Ring();
        ring.RegisterFileTable(1);

        ring.SubmitAcceptDirect(listener, userData: "first");
        using var first = Connect(listener);
        var taken = ring.Next();
        Assert.True(taken.IsSuccess, taken.ToString());

        ring.SubmitAcceptDirect(listener, userData: "second");
        using var second = Connect(listener);
        var refused = ring.Next();

        Assert.Equal("second", refused.UserData);
        Assert.Equal(Errno.ENFILE, refused.Error);
        Assert.Null(refused.Result);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }

    [FileTableFact]
    public void A_multishot_direct_accept_puts_each_connection_in_its_own_slot()
    {
        using var listener = Listener();
        using var ring = new Ring();
        ring.RegisterFileTable(8);
        var accepting = ring.SubmitAcceptDirectMultishot(listener, userData: "accepts");

        var clients = new List<Socket>();
        var files = new List<RegisteredFile>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                clients.Add(Connect(listener));
                var leg = ring.Next();
                Assert.Equal((CompletionKind.AcceptDirectMultishot, i, true), (leg.Kind, leg.Sequence, leg.HasMore));
                var direct = Assert.IsType<AcceptedRegisteredFile>(leg.Result);
                Assert.Null(direct.RemoteEndPoint); // no address buffer for multishot, and no fd to ask
                files.Add(direct.File);
            }

            Assert.Equal(3, files.Select(f => f.Index).Distinct().Count());
            for (var i = 0; i < 3; i++)
            {
                // Each slot is the connection of the client that connected i-th.
                clients[i].Send(new[] { (byte)(i + 1) });
                var buffer = new byte[1];
                ring.SubmitRecv(files[i], buffer);
                Assert.Equal(1, ring.Next().Res);
                Assert.Equal(i + 1, buffer[0]);
            }

            ring.SubmitCancel(accepting, "cancel");
            var outcomes = ring.NextByUserData(2);
            Assert.Equal(Errno.ECANCELED, outcomes["accepts"].Error);
            Assert.False(outcomes["accepts"].HasMore);

            foreach (var file in files)
            {
                ring.SubmitClose(file);
                Assert.Equal(0, ring.Next().Res);
            }

            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [FileTableFact]
    public async Task Awaited_direct_accept_recv_and_close_work_through_the_completion_thread()
    {
        using var listener = Listener();
        using var ring = new Ring();
        ring.RegisterFileTable(2);
        using (ring.StartCompletionThread())
        {
            var accepting = ring.AcceptDirectAsync(listener);
            using var client = Connect(listener);
            var file = Assert.IsType<AcceptedRegisteredFile>((await accepting).Result).File;

            client.Send("hi"u8);
            var buffer = new byte[4];
            Assert.Equal(2, (await ring.RecvAsync(file, buffer)).Res);
            Assert.Equal(0, (await ring.CloseAsync(file)).Res);
            Assert.Equal(0, ReceiveWithin(client, buffer));
        }
    }

    [FileTableFact]
    public void Disposing_the_ring_closes_the_direct_descriptors_left_in_its_table()
    {
        using var listener = Listener();
        Socket client;
        using (var ring = new Ring())
        {
            ring.RegisterFileTable(2);
            ring.SubmitAcceptDirect(listener);
            client = Connect(listener);
            Assert.True(ring.Next().IsSuccess);
        }

        using (client)
        {
            Assert.Equal(0, ReceiveWithin(client, new byte[4]));
        }
    }

    [FileTableFact]
    public void A_registered_file_of_another_ring_is_refused_before_the_kernel()
    {
        using var owner = new Ring();
        using var other = new Ring();
        owner.RegisterFileTable(2);
        other.RegisterFileTable(2);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var file = owner.RegisterFile(a, 0);

            var recv = Assert.Throws<ArgumentException>(() => other.SubmitRecv(file, new byte[4]));
            Assert.Equal("fd", recv.ParamName);
            Assert.Contains("another ring", recv.Message, StringComparison.Ordinal);
            Assert.Equal("file", Assert.Throws<ArgumentException>(() => other.SubmitClose(file)).ParamName);
            Assert.Equal("listener", Assert.Throws<ArgumentException>(() => other.SubmitAcceptDirect(file)).ParamName);
            Assert.Equal(new RingDiagnostics(0, 0, 0, 0), other.Diagnostics); // the refused submissions gave their slots back
        }
    }

    [FileTableFact]
    public void Operations_that_need_a_table_explain_how_to_get_one()
    {
        using var listener = Listener();
        using var ring = new Ring();

        var accept = Assert.Throws<InvalidOperationException>(() => ring.SubmitAcceptDirect(listener));
        Assert.Contains("RegisterFileTable", accept.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ring.SubmitAcceptDirectMultishot(listener));
        Assert.Throws<InvalidOperationException>(() => ring.RegisterFile(listener, 0));
        Assert.Equal(0, ring.FileTableSize);
    }

    [FileTableFact]
    public void A_second_table_and_out_of_range_arguments_are_refused_with_the_reason()
    {
        using var listener = Listener();
        using var ring = new Ring();

        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => ring.RegisterFileTable(0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.RegisterFileTable(Ring.MaxRegisteredFiles + 1));
        ring.RegisterFileTable(3);
        Assert.Equal(3, ring.FileTableSize);

        var second = Assert.Throws<InvalidOperationException>(() => ring.RegisterFileTable(3));
        Assert.Contains("one per ring", second.Message, StringComparison.Ordinal);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => ring.RegisterFile(listener, 3)).ParamName);
        Assert.Equal("flags", Assert.Throws<ArgumentException>(() => ring.SubmitAcceptDirect(listener, SocketCreationFlags.CloseOnExec)).ParamName);
        Assert.Throws<ArgumentException>(() => ring.SubmitClose(default(RegisteredFile)));
        Assert.Throws<ArgumentException>(() => FileDescriptor.FromRegistered(default));
        Assert.Equal("fd", Assert.Throws<ArgumentException>(() => ring.RegisterFile(ring.RegisterFile(listener, 0), 1)).ParamName);
    }

    [FileTableFact]
    public void A_single_issuer_ring_registers_its_table_only_on_its_submitter_thread()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer);
        Exception? refused = null;
        var foreign = new BackgroundThread(() => refused = Record.Exception(() => ring.RegisterFileTable(2)));
        Assert.True(foreign.Join(PeerPatience));

        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal(0, ring.FileTableSize);
        ring.RegisterFileTable(2);
        Assert.Equal(2, ring.FileTableSize);
    }

    [FileTableFact]
    public void A_registered_file_converts_to_a_descriptor_that_names_its_slot()
    {
        using var ring = new Ring();
        ring.RegisterFileTable(2);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            FileDescriptor descriptor = ring.RegisterFile(a, 1);

            Assert.True(descriptor.IsRegistered);
            Assert.Equal(1, descriptor.Value);
            Assert.Null(descriptor.Handle);
            Assert.Equal("registered file 1", descriptor.ToString());
            Assert.NotEqual(FileDescriptor.FromRaw(1), descriptor);
        }
    }

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        return listener;
    }

    private static Socket Connect(Socket listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)PeerPatience.TotalMilliseconds };
        client.Connect(listener.LocalEndPoint!);
        return client;
    }

    /// <summary>Receives once, failing the test rather than hanging if nothing (not even end of stream) arrives.</summary>
    private static int ReceiveWithin(Socket socket, byte[] buffer)
    {
        socket.ReceiveTimeout = (int)PeerPatience.TotalMilliseconds;
        return socket.Receive(buffer);
    }

    private static string ReceiveText(Socket socket, int length)
    {
        var buffer = new byte[length];
        var received = 0;
        while (received < length)
        {
            socket.ReceiveTimeout = (int)PeerPatience.TotalMilliseconds;
            var n = socket.Receive(buffer, received, length - received, SocketFlags.None);
            Assert.True(n > 0, "the peer closed early");
            received += n;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }
}
