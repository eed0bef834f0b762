using System.Net;

namespace Uring;

/// <summary>
/// The <see cref="Completion.Result"/> of an accept into the registered-file table: the slot the
/// kernel installed the connection in, and the peer's address when the kernel could report it.
/// </summary>
/// <param name="File">The direct descriptor; use it with the ring's operations, close it with <see cref="Ring.SubmitClose(RegisteredFile, object?)"/>.</param>
/// <param name="RemoteEndPoint">
/// The peer's address for a one-shot accept (the kernel writes it as accept4 does), or null: a multishot
/// accept passes no address buffer (each connection would overwrite it), and a direct descriptor has
/// no fd for <c>getpeername</c>. Send the address in-band, or accept one-shot, if you need it.
/// </param>
public sealed record AcceptedRegisteredFile(RegisteredFile File, EndPoint? RemoteEndPoint);
