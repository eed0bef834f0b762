using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// One TCP connection over the ring, speaking Akka.IO's protocol to its handler. Reading is a
/// multishot receive into a provided-buffer ring (re-armed whenever the kernel ends it without an
/// end of stream); each leg becomes a <see cref="AkkaTcp.Received"/>, handed to the handler straight
/// from the ring loop (<see cref="DirectReceive"/>) — or, with
/// <c>uring.tcp.leased-receive</c>, a <see cref="UringTcp.ReceivedLease"/> over the provided buffer
/// itself, which the handler disposes (the connection disposes those it cannot deliver). Writes go to
/// a <see cref="ConnectionWriter"/> — straight from the handler's thread when told to the
/// <see cref="ConnectionRef"/> the handler knows the connection by — which sends them from the ring
/// loop (one send in flight, up to 16 writes gathered, partial sends continued, each write
/// acknowledged after its last byte was sent). Supports
/// <see cref="AkkaTcp.SuspendReading"/>/<see cref="AkkaTcp.ResumeReading"/>, <see cref="AkkaTcp.Close"/>,
/// <see cref="AkkaTcp.ConfirmedClose"/> (half-close) and <see cref="AkkaTcp.Abort"/> (reset), and keeps a
/// death pact with its handler: when the handler stops, the connection closes (FIN). The socket is closed only once no ring operation uses it.
/// <para>It lives on one ring for life (<see cref="RingShard"/>): its receive, timers and cancels go
/// to that ring's owner, its writer sends on that ring's loop, and a handler on
/// <c>uring.loop-dispatcher</c> moves to that loop when it registers. If the ring restarts, the
/// connection closes with <see cref="AkkaTcp.ErrorClosed"/>: its operations went with the old ring.</para>
/// <para>An untyped actor with a state method per phase: one starts per connection, and a
/// ReceiveActor builds its message matchers anew in every instance and at every
/// <c>Become</c> — most of the CPU a connection's start cost before (docs/performance-log.md, item 12).</para>
/// </summary>
internal partial class TcpConnectionActor : UntypedActor
{
    private readonly RingShard _ring;
    private readonly UringSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Socket _socket;
    private EndPoint _remote;
    private readonly IActorRef? _connectedTo;
    private IActorRef? _handler;
    private bool _keepOpenOnPeerClosed;
    private int _readGeneration;
    private OperationHandle? _read;
    private bool _reading;
    private bool _cancellingRead; // this connection asked to cancel the receive in flight (suspend, close)
    private bool _suspended;
    private ConnectionRef? _face;
    private bool _peerClosed;
    private AkkaTcp.CloseCommand? _closing;
    private bool _halfClosed;
    private bool _counted;
    private IActorRef? _closeCommander;
    private ICancelable? _registerTimer;
    private DirectReceive? _direct; // the current receive's (a new one each time reading starts)
    private ConnectionBuffers? _buffers; // its own receive buffers, kept across re-arms (none with a shared pool)

    /// <summary>The connection's writer, once connected (it comes with the handler's <see cref="ConnectionRef"/>).</summary>
    private ConnectionWriter? Writer => _face?.Writer;

    /// <summary>A connection accepted by a listener; it introduces itself to <paramref name="bindHandler"/>.</summary>
    public TcpConnectionActor(RingShard ring, UringSettings settings, Socket socket, EndPoint remote, IActorRef bindHandler)
        : this(ring, settings, socket, remote)
    {
        _connectedTo = bindHandler;
    }

    /// <summary>
    /// For subclasses that connect <paramref name="socket"/> to <paramref name="remote"/> first. Never
    /// throws: the connection was counted on <paramref name="ring"/> when it was placed, and only a
    /// started actor's PostStop gives that back.
    /// </summary>
    protected TcpConnectionActor(RingShard ring, UringSettings settings, Socket socket, EndPoint remote)
    {
        _ring = ring;
        _settings = settings;
        _activity = new ConnectionActivity(tracked: HasIdleTimeout);
        _socket = socket;
        _remote = remote;
    }

    protected IActorRef Owner => _ring.Owner;

    protected Socket Socket => _socket;

    /// <summary>Before it is connected (an accepted connection is from <see cref="PreStart"/> on): subclasses connect here.</summary>
    protected override void OnReceive(object message) => Unhandled(message);

    protected override void PreStart()
    {
        _ring.Settle(Self);
        try
        {
            _socket.NoDelay = true; // Akka.IO's default: small writes (acks, responses) go out at once
        }
        catch (SocketException)
        {
            // Reset before it started: its first receive reports the error.
        }

        if (_connectedTo is not null)
        {
            BecomeConnected(_remote, _connectedTo);
        }
    }

    /// <summary>Unwraps what the handler told the connection through its <see cref="ConnectionRef"/>.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not ConnectionRef.Forwarded forwarded)
        {
            return base.AroundReceive(receive, message);
        }

        try
        {
            return base.AroundReceive(receive, forwarded.Message);
        }
        finally
        {
            _face?.Processed();
        }
    }

    protected override void PostStop()
    {
        _registerTimer?.Cancel();
        _ring.Vacate();
        _ring.Depart(Self);
        if (_counted)
        {
            UringMetrics.ConnectionClosed(_ring.Name);
        }

        if (_read is { } read)
        {
            _ring.Owner.Tell(new RingProtocol.Cancel(read));
        }

        StopIdleTimer();
        _buffers?.Retire(); // freed once the receive in flight (cancelled above) has ended
        Writer?.Discard(); // nothing queued goes out after the connection stopped; a send in the ring still completes

        // Socket.Dispose waits until the ring has released the socket: never on this actor's
        // thread. Stopped with a receive still in flight (the system is terminating), .NET would
        // close abortively (RST); shutting down first ends the receive and tells the peer FIN.
        var socket = _socket;
        var inFlight = _reading;
        _ = Task.Run(() =>
        {
            if (inFlight)
            {
                try
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already reset by the peer: nothing to tell it.
                }
            }

            socket.Dispose();
        });
    }

    /// <summary>Connected to <paramref name="remote"/>: tell <paramref name="connectedTo"/> and wait for its <see cref="AkkaTcp.Register"/>.</summary>
    protected void BecomeConnected(EndPoint remote, IActorRef connectedTo)
    {
        _remote = remote;
        _counted = true;
        UringMetrics.ConnectionOpened(_ring.Name);
        _face = new ConnectionRef((IInternalActorRef)Self, _ring, _socket, _activity, _settings.MaxQueuedWriteBytes);
        connectedTo.Tell(new AkkaTcp.Connected(remote, _socket.LocalEndPoint!), _face);
        Become(WaitingForRegistration);
        if (_settings.RegisterTimeout != Timeout.InfiniteTimeSpan)
        {
            _registerTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(_settings.RegisterTimeout, Self, new RegisterTimedOut(connectedTo), Self);
        }
    }

    private void WaitingForRegistration(object message)
    {
        switch (message)
        {
            case AkkaTcp.Register register:
                _registerTimer?.Cancel();
                _handler = register.Handler;
                _keepOpenOnPeerClosed = register.KeepOpenOnPeerClosed;
                _ring.Affinity.Follow(_handler, _ring.Loop); // a handler on uring.loop-dispatcher runs on this ring's loop from now on
                Context.Watch(_handler);
                Become(Connected);
                Writer!.Accept(true); // from now on the handler's writes go straight to the writer
                StartReading();
                StartIdleTimer();
                break;
            case AkkaTcp.CloseCommand close:
                _registerTimer?.Cancel();
                _handler = Sender;
                StartClosing(close);
                break;
            case RegisterTimedOut timedOut:
                // Akka.IO stops such a connection; this one also says why, to whoever got Connected.
                var reason = $"No Register for the connection to {_remote} within uring.tcp.register-timeout ({_settings.RegisterTimeout}); it was closed. Answer Connected with Register(handler).";
                _log.Warning("{0}", reason);
                timedOut.ConnectedTo.Tell(TcpFailure.Of(new AkkaTcp.Register(timedOut.ConnectedTo), new TimeoutException(reason)), Self);
                Context.Stop(Self);
                break;
            default:
                (message as UringTcp.WriteOwned)?.Data.Dispose();
                _log.Debug("Connection to {0} dropped {1} before Register", _remote, message);
                break;
        }
    }

    private void Connected(object message)
    {
        switch (message)
        {
            case RingProtocol.Completed { Tag: ReadTag } completed:
                OnRead(completed);
                break;
            case RegisterTimedOut:
                break; // on its way when the Register came
            case ConnectionWriter.Drained:
                ContinueClosing();
                break;
            case ConnectionWriter.Failed failed:
                CloseWithError(failed.Cause);
                break;
            case RingProtocol.Completed { Tag: ConnectionWriter.SendTag }:
                CloseWithError("a send's completion escaped its writer");
                break;
            case RingProtocol.Submitted { Tag: ReadTag tag } submitted when tag.Generation == _readGeneration:
                _read = submitted.Handle;
                if (_suspended || _closing is AkkaTcp.Close or AkkaTcp.Abort)
                {
                    CancelRead(); // suspended or closing before the receive was even in the ring
                }

                break;
            case BufferReturned returned when returned.Generation == _readGeneration:
                StartReading();
                break;
            case RingProtocol.SubmitFailed failed:
                CloseWithError($"the ring refused an operation: {failed.Cause.Message}");
                break;
            case AkkaTcp.Write or UringTcp.WriteOwned:
                Enqueue((AkkaTcp.SimpleWriteCommand)message);
                break;
            case AkkaTcp.CompoundWrite compound:
                foreach (var write in compound.OfType<AkkaTcp.Write>())
                {
                    Enqueue(write);
                }

                break;
            case AkkaTcp.SuspendReading:
                _suspended = true;
                CancelRead();
                break;
            case AkkaTcp.ResumeReading:
                _suspended = false;
                StartReading();
                break;
            case AkkaTcp.CloseCommand close:
                StartClosing(close);
                break;
            case RingRestarted restarted when IsOn(restarted.Ring):
                CloseWithError($"ring {_ring.Name} restarted, and its operations went with it");
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_handler):
                _log.Debug("Handler of the connection to {0} stopped: closing the connection", _remote);
                _handler = null;
                _direct?.HandlerStopped();
                StartClosing(AkkaTcp.Close.Instance);
                break;
            default:
                if (!ReceiveIdleTimer(message))
                {
                    Unhandled(message);
                }

                break;
        }
    }

    private void StartReading()
    {
        if (_reading || _suspended || _peerClosed || _closing is AkkaTcp.Close or AkkaTcp.Abort)
        {
            return;
        }

        _reading = true;
        _cancellingRead = false;
        _read = null;
        var socket = _socket;
        var buffers = _buffers ??= new ConnectionBuffers(_settings.ReceiveBufferSize, _settings.ReceiveBufferCount, _ring.Loop);
        var leased = _settings.LeasedReceive;
        var tag = new ReadTag(++_readGeneration);

        // Legs go straight to the handler, copied or leased: this arm's DirectReceive is the
        // receive's delivery. The last leg, and every leg once the handler stopped, come to the
        // connection, which delivers or disposes them.
        var direct = _handler is null ? null : _direct = new DirectReceive(_handler, _face!, _activity, _ring.MetricTag, Self, tag);
        Func<Ring, object, OperationHandle> start = (ring, userData) =>
        {
            var pool = SharedReceiveBuffers.Of(ring) ?? buffers.PoolOn(ring);
            return leased ? ring.SubmitRecvMultishotLeased(socket, pool, userData) : ring.SubmitRecvMultishot(socket, pool, userData);
        };
        _ring.Owner.Tell(new RingProtocol.Submit(start, tag, AcknowledgeWith: true) { Delivery = direct });
    }

    private void CancelRead()
    {
        if (_reading && _read is { } read)
        {
            _cancellingRead = true;
            _ring.Owner.Tell(new RingProtocol.Cancel(read));
        }
    }

    /// <summary>Whether this connection has an operation on <paramref name="ring"/>: its receive, or a send of its writer.</summary>
    private bool IsOn(Ring ring) => (_read is { } read && ReferenceEquals(read.Ring, ring)) || Writer?.IsSendingOn(ring) == true;

    private void OnRead(RingProtocol.Completed completed)
    {
        var completion = completed.Completion;
        if (completion.Lease is { } lease)
        {
            NoteActivity();
            UringMetrics.BytesReceived.Add(lease.Length, _ring.MetricTag);
            if (_handler is { } handler)
            {
                handler.Tell(new UringTcp.ReceivedLease(lease), _face); // the handler disposes it
            }
            else
            {
                lease.Dispose(); // the handler stopped: nobody will read it
            }
        }
        else
        {
            _direct?.Deliver(completion); // a leg the loop left to the connection: the last, or one for a stopped handler
        }

        if (completion.HasMore)
        {
            return;
        }

        _reading = false;
        _read = null;
        switch (completion.Error)
        {
            case Errno.None when completion.Res == 0:
                OnPeerClosed();
                break;
            case Errno.ENOBUFS when _settings.LeasedReceive:
                // Every buffer is leased to the handler: re-arm (with fresh buffers) only once it
                // gave one back, so a slow handler holds the connection's reading, not more memory.
                var self = Self;
                var generation = _readGeneration;
                completion.WhenBufferReturned().ContinueWith(_ => self.Tell(new BufferReturned(generation)), TaskScheduler.Default);
                break;
            case Errno.None or Errno.ENOBUFS:
                StartReading(); // the kernel ended the multishot without an end of stream: re-arm
                break;
            case Errno.ECANCELED when _closing is not null:
                ContinueClosing(); // we cancelled it to close
                break;
            case Errno.ECANCELED when _cancellingRead:
                StartReading(); // we cancelled it to suspend: reading resumes at once if ResumeReading came meanwhile
                break;
            case Errno.ECANCELED:
                CloseWithError($"its receive was cancelled by ring {_ring.Name}, which is restarting");
                break;
            default:
                CloseWithError(completion.Error.ToString());
                break;
        }
    }

    private void OnPeerClosed()
    {
        _peerClosed = true;
        if (_closing is AkkaTcp.ConfirmedClose)
        {
            Finish(AkkaTcp.ConfirmedClosed.Instance);
        }
        else if (_keepOpenOnPeerClosed)
        {
            _handler?.Tell(AkkaTcp.PeerClosed.Instance);
        }
        else
        {
            Finish(AkkaTcp.PeerClosed.Instance);
        }
    }

    /// <summary>Queues an Akka.IO write (copied) or an owned one (sent from its memory); a refused one is answered with CommandFailed, and an owned one's memory given back.</summary>
    private void Enqueue(AkkaTcp.SimpleWriteCommand write)
    {
        var refusal = _closing is not null ? TcpFailure.WriteRefused($"the connection is closing ({_closing.GetType().Name} was sent)")
            : _peerClosed && !_keepOpenOnPeerClosed ? TcpFailure.WriteRefused("the peer closed the connection (register with keepOpenOnPeerClosed to write after PeerClosed)")
            : (write is AkkaTcp.Write copied ? Writer!.TryEnqueue(copied, Sender) : Writer!.TryEnqueue((UringTcp.WriteOwned)write, Sender)) switch
            {
                ConnectionWriter.Admission.Queued => null,
                ConnectionWriter.Admission.OverLimit => TcpFailure.QueueFull(Writer!.MaxQueuedBytes),
                _ => TcpFailure.WriteRefused("the connection takes no writes now (it is closing or its writer failed)"),
            };
        if (refusal is not null)
        {
            (write as UringTcp.WriteOwned)?.Data.Dispose();
            Sender.Tell(TcpFailure.Of(write, refusal));
        }
    }

    private void StartClosing(AkkaTcp.CloseCommand close)
    {
        _closing = close;
        Writer?.Accept(false); // later writes are refused (CommandFailed) here, in order
        _closeCommander = Sender;
        if (close is AkkaTcp.Abort)
        {
            _socket.LingerState = new LingerOption(true, 0); // close with RST
            Writer?.Discard();
        }

        ContinueClosing();
    }

    /// <summary>Moves the close along once writes are flushed and reading has stopped.</summary>
    private void ContinueClosing()
    {
        if (_closing is null || Writer?.DrainedOrNotify() == false)
        {
            return; // the writer says Drained once the last send completed
        }

        switch (_closing)
        {
            case AkkaTcp.ConfirmedClose when !_peerClosed:
                if (!_halfClosed)
                {
                    _halfClosed = true;
                    _socket.Shutdown(SocketShutdown.Send); // FIN; keep reading until the peer's
                }

                break;
            case AkkaTcp.ConfirmedClose:
                Finish(AkkaTcp.ConfirmedClosed.Instance);
                break;
            default:
                if (_reading)
                {
                    CancelRead(); // ContinueClosing runs again at its final completion
                    return;
                }

                Finish(_closing is AkkaTcp.Abort ? AkkaTcp.Aborted.Instance : AkkaTcp.Closed.Instance);
                break;
        }
    }

    private void CloseWithError(string cause)
    {
        _log.Debug("Connection to {0} failed: {1}", _remote, cause);
        _closing = AkkaTcp.Abort.Instance;
        _closeCommander = null;
        Finish(new AkkaTcp.ErrorClosed(cause));
    }

    /// <summary>Reports the close to the handler (and the close's commander) and stops; PostStop closes the socket.</summary>
    private void Finish(AkkaTcp.ConnectionClosed closed)
    {
        _handler?.Tell(closed);
        if (_closeCommander is not null && !_closeCommander.Equals(_handler))
        {
            _closeCommander.Tell(closed);
        }

        Writer?.Discard(); // a send still in the ring may fail now (the peer reset): that is no news
        Context.Stop(Self);
    }

    private sealed record ReadTag(int Generation);

    /// <summary>A lease of the read that ended with ENOBUFS came back: reading may resume.</summary>
    private sealed record BufferReturned(int Generation);

    /// <summary>The handler did not register within <c>uring.tcp.register-timeout</c>.</summary>
    private sealed record RegisterTimedOut(IActorRef ConnectedTo);
}
