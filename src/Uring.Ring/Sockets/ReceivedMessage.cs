using System.Net;

namespace Uring;

/// <summary>The <see cref="Completion.Result"/> of a receive-message operation.</summary>
/// <param name="BytesReceived">Bytes written into the buffer.</param>
/// <param name="RemoteEndPoint">The sender's address (datagram sockets), or null when the kernel reported none.</param>
/// <param name="Flags">The message's flags as the kernel returned them (<see cref="MessageFlags.Truncate"/> when a datagram did not fit).</param>
public sealed record ReceivedMessage(int BytesReceived, EndPoint? RemoteEndPoint, MessageFlags Flags);
