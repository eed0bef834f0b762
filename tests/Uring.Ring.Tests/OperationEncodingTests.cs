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
    public void Cancel_all_sets_the_any_and_all_cancel_flags()
    {
        var expected = new SubmissionQueueEntry { Opcode = 14, Fd = -1, OpFlags = (1u << 2) | 1u };
        Assert.Equal(expected, Encode(new CancelOperation(0, All: true)));
    }
}
