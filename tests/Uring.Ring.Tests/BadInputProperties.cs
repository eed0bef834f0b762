using System.Net;
using System.Net.Sockets;
using FsCheck.Xunit;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Property-based bad input (FsCheck, 100 generated cases per property): every refusal happens
/// before an SQE is used — an exception naming the argument, and the ring still lends the kernel
/// nothing. Runs on the real ring (skipped only where io_uring is unavailable and allowed to be).
/// </summary>
public sealed class BadInputProperties : IDisposable
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 9);
    private static readonly RingDiagnostics Idle = new(0, 0, 0, 0);

    private readonly Ring? _ring = UringProbe.IsAvailable ? new Ring(8) : null;

    /// <summary>Every operation that takes a descriptor, as (name, call on a descriptor).</summary>
    private static readonly (string Name, Action<Ring, int> Call)[] DescriptorOperations =
    [
        ("SubmitRecv", (ring, fd) => ring.SubmitRecv(fd, new byte[8])),
        ("SubmitSend", (ring, fd) => ring.SubmitSend(fd, new byte[8])),
        ("SubmitSendZc", (ring, fd) => ring.SubmitSendZc(fd, new byte[8])),
        ("SubmitRecvMsg", (ring, fd) => ring.SubmitRecvMsg(fd, new byte[8])),
        ("SubmitSendTo", (ring, fd) => ring.SubmitSendTo(fd, new byte[8], Loopback)),
        ("SubmitSendMsg", (ring, fd) => ring.SubmitSendMsg(fd, new byte[8])),
        ("SubmitSendMsgZc", (ring, fd) => ring.SubmitSendMsgZc(fd, new byte[8])),
        ("SubmitAccept", (ring, fd) => ring.SubmitAccept(fd)),
        ("SubmitAcceptMultishot", (ring, fd) => ring.SubmitAcceptMultishot(fd)),
        ("SubmitConnect", (ring, fd) => ring.SubmitConnect(fd, Loopback)),
        ("SubmitShutdown", (ring, fd) => ring.SubmitShutdown(fd, SocketShutdown.Both)),
        ("SubmitClose", (ring, fd) => ring.SubmitClose(fd)),
        ("SubmitRecvMultishot", (ring, fd) => ring.SubmitRecvMultishot(fd)),
        ("SubmitPoll", (ring, fd) => ring.SubmitPoll(fd, PollEvents.In)),
        ("SubmitPollMultishot", (ring, fd) => ring.SubmitPollMultishot(fd, PollEvents.In)),
    ];

    [Property]
    public void Any_negative_descriptor_is_refused_by_every_operation_before_the_kernel(int raw, byte which)
    {
        if (_ring is null)
        {
            return;
        }

        var fd = raw < 0 ? raw : -1 - raw;
        var (name, call) = DescriptorOperations[which % DescriptorOperations.Length];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => call(_ring, fd));

        Assert.True(error.ParamName == "fd", $"{name}({fd}) named '{error.ParamName}'");
        Assert.Equal(Idle, _ring.Diagnostics);
    }

    [Property]
    public void Multishot_buffer_sizes_and_counts_out_of_range_are_refused_before_the_kernel(int size, int count)
    {
        if (_ring is null)
        {
            return;
        }

        // Map the generated values outside the valid ranges (1..MaxReceiveBufferSize, 1..MaxReceiveBufferCount).
        var badSize = size <= 0 ? size : Ring.MaxReceiveBufferSize + (size % 1000) + 1;
        var badCount = count <= 0 ? count : Ring.MaxReceiveBufferCount + (count % 1000) + 1;

        Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => _ring.SubmitRecvMultishot(0, bufferSize: badSize)).ParamName);
        Assert.Equal("bufferCount", Assert.Throws<ArgumentOutOfRangeException>(() => _ring.SubmitRecvMultishot(0, bufferCount: badCount)).ParamName);
        Assert.Equal(Idle, _ring.Diagnostics);
    }

    [Property]
    public void Entries_outside_1_to_32768_are_refused_before_any_syscall(int entries)
    {
        var bad = entries is >= 1 and <= 32768 ? entries + 32768 : entries;

        Assert.Equal("entries", Assert.Throws<ArgumentOutOfRangeException>(() => new Ring(bad)).ParamName);
    }

    [Property]
    public void A_negative_wait_timeout_is_refused(long ticks)
    {
        if (_ring is null)
        {
            return;
        }

        var negative = TimeSpan.FromTicks(ticks < 0 ? ticks : -1 - (ticks % TimeSpan.MaxValue.Ticks));

        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => _ring.Wait(negative)).ParamName);
    }

    [Property]
    public void Every_operation_on_a_disposed_ring_throws_object_disposed(byte which)
    {
        if (_ring is null)
        {
            return;
        }

        var ring = new Ring(2);
        ring.Dispose();
        var (name, call) = DescriptorOperations[which % DescriptorOperations.Length];

        var error = Record.Exception(() => call(ring, 0));

        Assert.True(error is ObjectDisposedException, $"{name} on a disposed ring threw {error?.GetType().Name ?? "nothing"}");
        Assert.Throws<ObjectDisposedException>(() => ring.Wait(TimeSpan.Zero));
        ring.Dispose(); // and disposing again is harmless
    }

    [RingFact]
    public void Cancelling_twice_and_cancelling_a_finished_operation_touch_nothing_else()
    {
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        using (var ring = new Ring(8))
        {
            var receive = ring.SubmitRecv(right, new byte[8], "recv");
            ring.SubmitCancel(receive, "first");
            ring.SubmitCancel(receive, "second");

            var outcomes = ring.NextByUserData(3);

            Assert.Equal(Errno.ECANCELED, outcomes["recv"].Error);
            Assert.True(outcomes["first"].IsSuccess);
            Assert.True(outcomes["second"].Error is Errno.ENOENT or Errno.EALREADY || outcomes["second"].IsSuccess);
            ring.SubmitCancel(receive, "late");
            Assert.Equal(Errno.ENOENT, ring.Next().Error);
            Assert.Equal(Idle, ring.Diagnostics);
        }
    }

    public void Dispose() => _ring?.Dispose();
}
