using Uring.Native;
using Uring.Ops;

namespace Uring.Tests;

/// <summary>Golden SQEs: each operation struct writes exactly the fields liburing's io_uring_prep_* would.</summary>
public class OperationEncodingTests
{
    private static SubmissionQueueEntry Encode<TOp>(TOp operation)
        where TOp : struct, IRingOperation
    {
        var entry = default(SubmissionQueueEntry);
        entry.Opcode = (byte)TOp.Opcode;
        operation.Prepare(ref entry);
        return entry;
    }

    [Fact]
    public void Nop_writes_only_its_opcode()
    {
        Assert.Equal(new SubmissionQueueEntry { Opcode = 0 }, Encode(new NopOperation()));
    }

    [Fact]
    public void Recv_writes_fd_buffer_length_and_msg_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 27, Fd = 7, Address = 0x1000, Length = 512, OpFlags = 0x100 };
        Assert.Equal(expected, Encode(new RecvOperation(7, 0x1000, 512, MessageFlags.WaitAll)));
    }

    [Fact]
    public void Send_writes_fd_data_length_and_msg_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 26, Fd = 9, Address = 0x2000, Length = 3, OpFlags = 0x4000 };
        Assert.Equal(expected, Encode(new SendOperation(9, 0x2000, 3, MessageFlags.NoSignal)));
    }

    [Fact]
    public void Multishot_poll_writes_events_and_the_multi_flag_in_len()
    {
        var expected = new SubmissionQueueEntry { Opcode = 6, Fd = 4, OpFlags = 1, Length = 1 };
        Assert.Equal(expected, Encode(new PollAddOperation(4, 1, Multishot: true)));
    }

    [Fact]
    public void Cancel_by_user_data_puts_the_target_in_addr_and_fd_minus_one()
    {
        var expected = new SubmissionQueueEntry { Opcode = 14, Fd = -1, Address = 0xabcdef };
        Assert.Equal(expected, Encode(new CancelOperation(0xabcdef)));
    }

    [Fact]
    public void Link_timeout_points_addr_at_the_timespec_with_len_one_and_fd_minus_one()
    {
        var expected = new SubmissionQueueEntry { Opcode = 15, Fd = -1, Address = 0x3000, Length = 1 };
        Assert.Equal(expected, Encode(new LinkTimeoutOperation(0x3000)));
    }

    [Fact]
    public void Cancel_all_sets_the_any_and_all_cancel_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 14, Fd = -1, OpFlags = (1u << 2) | 1u };
        Assert.Equal(expected, Encode(new CancelOperation(0, All: true)));
    }

    [Fact]
    public void Recvmsg_points_addr_at_the_msghdr_with_len_one()
    {
        var expected = new SubmissionQueueEntry { Opcode = 10, Fd = 3, Address = 0x3000, Length = 1, OpFlags = 0x40 };
        Assert.Equal(expected, Encode(new RecvMsgOperation(3, 0x3000, MessageFlags.DontWait)));
    }

    [Fact]
    public void Sendmsg_and_its_zero_copy_twin_differ_only_in_opcode()
    {
        var plain = new SubmissionQueueEntry { Opcode = 9, Fd = 3, Address = 0x3000, Length = 1, OpFlags = 0x4000 };
        Assert.Equal(plain, Encode(new SendMsgOperation(3, 0x3000, MessageFlags.NoSignal)));
        Assert.Equal(plain with { Opcode = 48 }, Encode(new SendMsgZcOperation(3, 0x3000, MessageFlags.NoSignal)));
    }

    [Fact]
    public void Send_zc_writes_the_send_fields_under_its_own_opcode()
    {
        var expected = new SubmissionQueueEntry { Opcode = 47, Fd = 5, Address = 0x4000, Length = 100, OpFlags = 0x4000 };
        Assert.Equal(expected, Encode(new SendZcOperation(5, 0x4000, 100, MessageFlags.NoSignal)));
    }

    [Fact]
    public void Accept_puts_the_sockaddr_in_addr_the_length_pointer_in_addr2_and_the_flags_in_accept_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 13, Fd = 6, Address = 0x5000, Offset = 0x5080, OpFlags = 0x80800 };
        Assert.Equal(expected, Encode(new AcceptOperation(6, 0x5000, 0x5080, SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec)));
    }

    [Fact]
    public void Multishot_accept_sets_the_multishot_bit_in_ioprio()
    {
        var expected = new SubmissionQueueEntry { Opcode = 13, Fd = 6, IoPriority = 1, OpFlags = 0x80000 };
        Assert.Equal(expected, Encode(new AcceptOperation(6, 0, 0, SocketCreationFlags.CloseOnExec, Multishot: true)));
    }

    [Fact]
    public void Connect_puts_the_address_length_in_off()
    {
        var expected = new SubmissionQueueEntry { Opcode = 16, Fd = 7, Address = 0x6000, Offset = 16 };
        Assert.Equal(expected, Encode(new ConnectOperation(7, 0x6000, 16)));
    }

    [Fact]
    public void Shutdown_puts_how_in_len()
    {
        var expected = new SubmissionQueueEntry { Opcode = 34, Fd = 7, Length = 1 };
        Assert.Equal(expected, Encode(new ShutdownOperation(7, System.Net.Sockets.SocketShutdown.Send)));
    }

    [Fact]
    public void Close_writes_only_the_fd()
    {
        Assert.Equal(new SubmissionQueueEntry { Opcode = 19, Fd = 8 }, Encode(new CloseOperation(8)));
    }

    [Fact]
    public void Socket_puts_domain_in_fd_type_with_flags_in_off_and_protocol_in_len()
    {
        var expected = new SubmissionQueueEntry { Opcode = 45, Fd = 10, Offset = 2 | 0x80000, Length = 17 };
        Assert.Equal(expected, Encode(new SocketOperation(10, 2, 17, SocketCreationFlags.CloseOnExec)));
    }

    [Fact]
    public void Multishot_recv_selects_a_buffer_group_with_the_multishot_bit()
    {
        var expected = new SubmissionQueueEntry { Opcode = 27, Fd = 9, IoPriority = 2, Flags = 1 << 5, BufferIndex = 42 };
        Assert.Equal(expected, Encode(new RecvMultishotOperation(9, 42, MessageFlags.None)));
    }

    [Fact]
    public void Msg_ring_posts_user_data_from_off_and_result_from_len()
    {
        var expected = new SubmissionQueueEntry { Opcode = 40, Fd = 11, Length = 123, Offset = 0xfeed };
        Assert.Equal(expected, Encode(new MsgRingOperation(11, 123, 0xfeed)));
    }
}
