using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;
using Uring.Actors;
using Uring.Actors.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Remote;

/// <summary>
/// The handler of one association's connection, on that connection's ring loop: it cuts the bytes
/// into frames (<see cref="FrameDecoder"/>) and hands each to Akka.Remote's listener as an
/// <see cref="InboundPayload"/>, and reports the connection's end as <see cref="Disassociated"/>.
/// Frames that arrive before Akka.Remote registered its listener wait here; past 1 MiB of them the
/// connection stops reading until it has. A stream that is not frames — garbage, or a length over
/// <c>maximum-frame-size</c> — drops the association (reset), with the reason logged; nothing of
/// it is buffered.
/// </summary>
internal sealed class AssociationActor : UntypedActor
{
    private const int MaxBytesBeforeListener = 1 << 20;

    private readonly IActorRef _connection;
    private readonly Address _remote;
    private readonly FrameDecoder _decoder;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<byte[]> _early = new();
    private readonly Action<byte[]> _deliver;
    private IHandleEventListener? _listener;
    private long _earlyBytes;
    private bool _suspended;
    private bool _ended;

    private AssociationActor(IActorRef connection, Address remote, int maximumFrameSize)
    {
        _connection = connection;
        _remote = remote;
        _decoder = new FrameDecoder(maximumFrameSize);
        _deliver = Deliver;
    }

    /// <summary>Props on <paramref name="connection"/>'s ring loop.</summary>
    internal static Props Props(IActorRef connection, Address remote, int maximumFrameSize) =>
        FactoryProps.Create(() => new AssociationActor(connection, remote, maximumFrameSize)).WithLoopDispatcherOf(connection);

    /// <summary>Akka.Remote registered its listener for the association's payloads.</summary>
    internal sealed record ListenerRegistered(IHandleEventListener Listener);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Received received:
                OnBytes(received.Data.ToReadOnlySpan());
                break;
            case UringTcp.ReceivedLease lease:
                using (lease.Data)
                {
                    OnBytes(lease.Data.Memory.Span);
                }

                break;
            case ListenerRegistered registered:
                _listener = registered.Listener;
                while (_early.TryDequeue(out var frame))
                {
                    _listener.Notify(new InboundPayload(Google.Protobuf.UnsafeByteOperations.UnsafeWrap(frame)));
                }

                _earlyBytes = 0;
                if (_suspended)
                {
                    _suspended = false;
                    _connection.Tell(AkkaTcp.ResumeReading.Instance);
                }

                if (_ended)
                {
                    Disassociated();
                }

                break;
            case AkkaTcp.ConnectionClosed closed:
                _log.Debug("Association with {0} ended: {1}", _remote, closed);
                _ended = true;
                Disassociated();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        if (!_ended)
        {
            _ended = true;
            Disassociated(); // stopped with its transport, or failed: Akka.Remote must not wait for it
        }
    }

    private void OnBytes(ReadOnlySpan<byte> bytes)
    {
        if (_ended)
        {
            return;
        }

        if (_decoder.Feed(bytes, _deliver) is { } error)
        {
            _log.Warning("Association with {0} dropped: {1}", _remote, error);
            _ended = true;
            _connection.Tell(AkkaTcp.Abort.Instance);
            Disassociated();
        }
    }

    private void Deliver(byte[] frame)
    {
        if (_listener is { } listener)
        {
            listener.Notify(new InboundPayload(Google.Protobuf.UnsafeByteOperations.UnsafeWrap(frame)));
            return;
        }

        _early.Enqueue(frame);
        _earlyBytes += frame.Length;
        if (!_suspended && _earlyBytes > MaxBytesBeforeListener)
        {
            _suspended = true;
            _connection.Tell(AkkaTcp.SuspendReading.Instance);
        }
    }

    /// <summary>Tells Akka.Remote once the association is gone (when its listener is known; else when it registers).</summary>
    private void Disassociated()
    {
        if (_listener is { } listener)
        {
            listener.Notify(new Disassociated(DisassociateInfo.Unknown));
            _listener = null; // once
            Context.Stop(Self);
        }
    }
}
