using System.Buffers;
using System.Buffers.Binary;
using Akka.Actor;
using Akka.Remote.Transport;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Remote;

/// <summary>
/// One association: a UringTcp connection seen by Akka.Remote. <see cref="Write"/> frames the payload
/// (4-byte little-endian length, then the bytes) straight into the connection's writer, on the
/// caller's thread: no message to any actor, and the send goes out from the connection's ring loop.
/// </summary>
internal sealed class UringAssociationHandle : AssociationHandle
{
    private readonly IActorRef _connection;
    private readonly ConnectionWriter _writer;

    /// <summary>The association of <paramref name="connection"/> between <paramref name="localAddress"/> and <paramref name="remoteAddress"/>.</summary>
    internal UringAssociationHandle(Address localAddress, Address remoteAddress, IActorRef connection)
        : base(localAddress, remoteAddress)
    {
        _connection = connection;
        _writer = ConnectionRef.Of(connection).Writer;
    }

    /// <summary>
    /// Queues one frame. False — Akka.Remote then keeps the payload and retries — when the
    /// connection's write queue is full (<c>uring.tcp.max-queued-write-bytes</c>), or it does not
    /// take writes (not registered yet, or closing).
    /// </summary>
    public override bool Write(Google.Protobuf.ByteString payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var length = 4 + payload.Length;
        var frame = ArrayPool<byte>.Shared.Rent(length); // the writer returns it once sent
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.Span.CopyTo(frame.AsSpan(4));
        if (_writer.TryEnqueueRented(frame, length) == ConnectionWriter.Admission.Queued)
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(frame);
        return false;
    }

    /// <summary>Closes the connection gracefully: what is queued goes out first.</summary>
#pragma warning disable CS0672 // Akka.Remote still calls the parameterless form
    public override void Disassociate() => _connection.Tell(AkkaTcp.Close.Instance);
#pragma warning restore CS0672
}
