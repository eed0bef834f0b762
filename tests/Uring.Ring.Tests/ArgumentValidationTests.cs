using System.Net.Sockets;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>Bad input fails with an exception naming the argument and the fix, before any SQE is used.</summary>
public class ArgumentValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(32769)]
    public void Invalid_entries_are_refused_before_any_syscall(int entries)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Ring(entries));

        Assert.Equal("entries", error.ParamName); // the constructor's own parameter
        Assert.Contains("32768", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_completion_queue_smaller_than_the_submission_queue_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Ring(new RingOptions { Entries = 16, CompletionQueueEntries = 8 }));

        Assert.Equal("CompletionQueueEntries", error.ParamName);
    }

    [Fact]
    public void An_empty_ring_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Ring(new RingOptions { Name = string.Empty }));

        Assert.Equal("Name", error.ParamName);
    }

    [Theory]
    [InlineData(RingSetupFlags.IoPoll)]
    [InlineData(RingSetupFlags.Sqe128)]
    [InlineData(RingSetupFlags.Cqe32)]
    [InlineData(RingSetupFlags.NoMmap)]
    [InlineData(RingSetupFlags.CqSize)]
    public void Setup_flags_the_ring_cannot_honour_are_refused(RingSetupFlags flags)
    {
        var error = Assert.Throws<ArgumentException>(() => new Ring(8, flags));

        Assert.Equal("Flags", error.ParamName);
    }

    [Fact]
    public void An_in_flight_limit_of_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ring(new RingOptions { MaxInFlight = 0 }));
    }

    [RingFact]
    public void A_negative_raw_fd_is_refused()
    {
        using var ring = new Ring();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ring.SubmitRecv(-1, new byte[4]));
        Assert.Equal("fd", error.ParamName);
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public void An_empty_receive_buffer_is_refused()
    {
        using var ring = new Ring();

        var error = Assert.Throws<ArgumentException>(() => ring.SubmitRecv(0, Memory<byte>.Empty));
        Assert.Equal("buffer", error.ParamName);
    }

    [RingFact]
    public void A_closed_socket_is_refused_with_object_disposed()
    {
        using var ring = new Ring();
        var (a, b) = SocketPair.Create();
        a.Dispose();
        b.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.SubmitSend(a, new byte[1]));
        Assert.Equal(0, ring.InFlight);
    }

    [RingFact]
    public void A_negative_wait_timeout_is_refused()
    {
        using var ring = new Ring();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ring.Wait(TimeSpan.FromMilliseconds(-1)));
        Assert.Equal("timeout", error.ParamName);
    }

    [RingFact]
    public void Cancelling_a_default_or_foreign_handle_is_refused()
    {
        using var ring = new Ring();
        using var other = new Ring();
        var foreign = other.SubmitNop();

        Assert.Equal("operation", Assert.Throws<ArgumentException>(() => ring.SubmitCancel(default)).ParamName);
        Assert.Contains("another ring", Assert.Throws<ArgumentException>(() => ring.SubmitCancel(foreign)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_pair_of_an_unsupported_type_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SocketPair.Create(SocketType.Raw));
    }
}
