using System.Net;
using System.Net.Sockets;
using Uring.Native;

namespace Uring;

/// <summary>
/// Runtime operation probes for the seed's named capabilities: each really submits the operation
/// on a private ring against a loopback peer and checks the kernel's answer, then cleans up. A
/// kernel version is never consulted. Any failure — refusal, error completion, no completion within
/// a second — reads as "not supported".
/// </summary>
internal static class CapabilityProbes
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    internal static Dictionary<string, bool> Run(IReadOnlySet<RingOpcode> opcodes) => new()
    {
        ["available"] = true,
        ["IORING_ACCEPT_MULTISHOT"] = Try(opcodes, RingOpcode.Accept, AcceptMultishot),
        ["IORING_RECV_MULTISHOT"] = Try(opcodes, RingOpcode.Recv, RecvMultishot),
        ["IORING_OP_SOCKET"] = Try(opcodes, RingOpcode.Socket, SocketOp),
        ["IORING_OP_SEND_ZC"] = Try(opcodes, RingOpcode.SendZc, SendZc),
        ["IORING_OP_SENDMSG_ZC"] = Try(opcodes, RingOpcode.SendMsgZc, SendMsgZc),
        ["IORING_REGISTER_FILES_SPARSE"] = Try(opcodes, RingOpcode.Accept, SparseFileTable),
        ["IORING_REGISTER_RESIZE_RINGS"] = Try(opcodes, RingOpcode.Nop, ResizeRings),
    };

    private static bool Try(IReadOnlySet<RingOpcode> opcodes, RingOpcode opcode, Func<bool> probe)
    {
        if (!opcodes.Contains(opcode))
        {
            return false;
        }

        try
        {
            return probe();
        }
        catch (Exception e) when (e is UringException or SocketException or InvalidOperationException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A multishot accept whose first connection keeps the request armed (F_MORE).</summary>
    private static bool AcceptMultishot()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var ring = new Ring(8);
        ring.SubmitAcceptMultishot(listener);
        client.Connect(listener.LocalEndPoint!);
        var completion = ring.Wait(Patience);
        if (completion?.Result is AcceptedSocket accepted)
        {
            accepted.ToSocket().Dispose();
        }

        return completion is { IsSuccess: true, HasMore: true };
    }

    /// <summary>A multishot receive whose first byte arrives in a provided buffer with the request still armed.</summary>
    private static bool RecvMultishot()
    {
        var (writer, reader) = SocketPair.Create();
        using (writer)
        using (reader)
        using (var ring = new Ring(8))
        {
            ring.SubmitRecvMultishot(reader, bufferSize: 64, bufferCount: 2);
            writer.Send([1]);
            var completion = ring.Wait(Patience);
            return completion is { IsSuccess: true, HasMore: true } c && (c.Flags & CompletionFlags.Buffer) != 0 && c.Data.Length == 1;
        }
    }

    /// <summary>A socket created by the ring.</summary>
    private static bool SocketOp()
    {
        using var ring = new Ring(8);
        ring.SubmitSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var completion = ring.Wait(Patience);
        if (completion is { IsSuccess: true } created)
        {
            new Socket(new SafeSocketHandle(created.Res, ownsHandle: true)).Dispose();
            return true;
        }

        return false;
    }

    /// <summary>A zero-copy send of one datagram to a bound loopback receiver.</summary>
    private static bool SendZc()
    {
        using var receiver = BoundUdpReceiver();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Connect(receiver.LocalEndPoint!);
        using var ring = new Ring(8);
        ring.SubmitSendZc(sender, new byte[] { 1 });
        return ring.Wait(Patience) is { Res: 1 };
    }

    /// <summary>A zero-copy sendmsg of one datagram addressed to a bound loopback receiver.</summary>
    private static bool SendMsgZc()
    {
        using var receiver = BoundUdpReceiver();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var ring = new Ring(8);
        ring.SubmitSendMsgZc(sender, new byte[] { 1 }, receiver.LocalEndPoint);
        return ring.Wait(Patience) is { Res: 1 };
    }

    /// <summary>A sparse registered-file table (the target of direct accepts), registered on a private ring.</summary>
    private static bool SparseFileTable()
    {
        using var ring = new Ring(8);
        ring.RegisterFileTable(1);
        return true;
    }

    /// <summary>A resize of a private SingleIssuer + DeferTaskrun ring to its own sizes (6.13).</summary>
    private static bool ResizeRings()
    {
        using var ring = new Ring(8, RingSetupFlags.SingleIssuer | RingSetupFlags.DeferTaskrun);
        ring.Resize(ring.SqEntries, ring.CqEntries);
        return true;
    }

    private static Socket BoundUdpReceiver()
    {
        var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return receiver;
    }
}
