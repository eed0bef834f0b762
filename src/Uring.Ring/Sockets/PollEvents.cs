namespace Uring;

/// <summary>The <c>poll(2)</c> event bits a poll operation waits for and reports (its result).</summary>
[Flags]
public enum PollEvents : uint
{
    /// <summary>No event.</summary>
    None = 0,

    /// <summary><c>POLLIN</c>: there is data to read (or a connection to accept).</summary>
    In = 0x1,

    /// <summary><c>POLLPRI</c>: urgent data.</summary>
    Priority = 0x2,

    /// <summary><c>POLLOUT</c>: writing will not block.</summary>
    Out = 0x4,

    /// <summary><c>POLLERR</c>: an error condition (always reported, never needs asking).</summary>
    Error = 0x8,

    /// <summary><c>POLLHUP</c>: hang-up (always reported).</summary>
    HangUp = 0x10,

    /// <summary><c>POLLNVAL</c>: the descriptor is not open (always reported).</summary>
    Invalid = 0x20,

    /// <summary><c>POLLRDHUP</c>: the peer closed its writing half.</summary>
    ReadHangUp = 0x2000,
}
