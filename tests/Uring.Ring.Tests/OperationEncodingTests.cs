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
    public void A_direct_accept_puts_the_allocate_sentinel_in_file_index()
    {
        var expected = new SubmissionQueueEntry { Opcode = 13, Fd = 6, IoPriority = 1, SpliceFdIn = uint.MaxValue };
        Assert.Equal(expected, Encode(new AcceptOperation(6, 0, 0, SocketCreationFlags.None, Multishot: true, FileIndex: uint.MaxValue)));
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
    public void Closing_a_direct_descriptor_writes_slot_plus_one_in_file_index_and_fd_zero()
    {
        Assert.Equal(new SubmissionQueueEntry { Opcode = 19, Fd = 0, SpliceFdIn = 4 }, Encode(new CloseOperation(0, FileIndex: 4)));
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

    [Fact]
    public void Read_and_write_put_the_buffer_in_addr_and_the_offset_in_off()
    {
        var read = new SubmissionQueueEntry { Opcode = 22, Fd = 5, Address = 0x1000, Length = 64, Offset = 4096 };
        Assert.Equal(read, Encode(new ReadOperation(5, 0x1000, 64, 4096)));
        Assert.Equal(read with { Opcode = 23 }, Encode(new WriteOperation(5, 0x1000, 64, 4096)));
        Assert.Equal(read with { Opcode = 22, Offset = ulong.MaxValue }, Encode(new ReadOperation(5, 0x1000, 64, -1)));
    }

    [Fact]
    public void Readv_and_writev_put_the_iovec_array_in_addr_and_its_count_in_len()
    {
        var readv = new SubmissionQueueEntry { Opcode = 1, Fd = 6, Address = 0x2000, Length = 3, Offset = 10 };
        Assert.Equal(readv, Encode(new ReadVOperation(6, 0x2000, 3, 10)));
        Assert.Equal(readv with { Opcode = 2 }, Encode(new WriteVOperation(6, 0x2000, 3, 10)));
    }

    [Fact]
    public void Openat_writes_dirfd_path_mode_in_len_and_open_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 18, Fd = -100, Address = 0x3000, Length = 0x1b6, OpFlags = 0x80241 };
        Assert.Equal(expected, Encode(new OpenAtOperation(-100, 0x3000, 0x80241, 0x1b6)));
    }

    [Fact]
    public void Statx_writes_dirfd_path_mask_in_len_buffer_in_addr2_and_at_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 21, Fd = 7, Address = 0x4000, Length = 0xfff, Offset = 0x5000, OpFlags = 0x1000 };
        Assert.Equal(expected, Encode(new StatxOperation(7, 0x4000, 0x1000, 0xfff, 0x5000)));
    }

    [Fact]
    public void Fsync_sets_the_datasync_flag_only_for_data_only()
    {
        Assert.Equal(new SubmissionQueueEntry { Opcode = 3, Fd = 8 }, Encode(new FsyncOperation(8, DataOnly: false)));
        Assert.Equal(new SubmissionQueueEntry { Opcode = 3, Fd = 8, OpFlags = 1 }, Encode(new FsyncOperation(8, DataOnly: true)));
    }

    [Fact]
    public void Fallocate_puts_the_length_in_addr_and_the_mode_in_len()
    {
        var expected = new SubmissionQueueEntry { Opcode = 17, Fd = 9, Offset = 4096, Address = 8192, Length = 3 };
        Assert.Equal(expected, Encode(new FallocateOperation(9, 4096, 8192, FallocateMode.KeepSize | FallocateMode.PunchHole)));
    }

    [Fact]
    public void Open_flags_become_the_architectures_o_bits_with_close_on_exec_always_added()
    {
        Assert.Equal(0x80000u, OpenFlagBits.ToKernel(OpenFlags.ReadOnly));
        Assert.Equal(0x80000u | 0x1 | 0x40 | 0x80 | 0x200 | 0x400, OpenFlagBits.ToKernel(OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.Truncate | OpenFlags.Append));
        Assert.Equal(0x80002u, OpenFlagBits.ToKernel(OpenFlags.ReadWrite | OpenFlags.CloseOnExec));
        var arm = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.Arm64 or System.Runtime.InteropServices.Architecture.Arm;
        Assert.Equal(0x80000u | (arm ? 0x4000u | 0x8000u : 0x10000u | 0x20000u), OpenFlagBits.ToKernel(OpenFlags.Directory | OpenFlags.NoFollow));
    }
}
