using System.Net;
using System.Net.Sockets;

namespace Uring;

/// <summary>The <see cref="Completion.Result"/> of an accept: the new connection's raw descriptor and the peer's address.</summary>
/// <param name="Fd">The accepted socket's descriptor. Nothing owns it yet: adopt it with <see cref="ToSocket"/>, or close it with <see cref="Ring.SubmitClose(int, object?)"/>.</param>
/// <param name="RemoteEndPoint">The peer's address, or null when it has none (an unnamed Unix-domain peer).</param>
public sealed record AcceptedSocket(int Fd, EndPoint? RemoteEndPoint)
{
    /// <summary>Hands the descriptor to a new <see cref="Socket"/> that owns (and will close) it.</summary>
    public Socket ToSocket() => new(new SafeSocketHandle(Fd, ownsHandle: true));
}
