using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// Binds a socket, keeps a multishot accept armed on it through the ring owner, and starts one
/// connection actor per accepted socket, which introduces itself to the bind handler with
/// <see cref="AkkaTcp.Connected"/>. When the kernel ends the multishot accept (a completion without
/// F_MORE) the listener re-arms it; after EMFILE/ENFILE it waits a moment first. Connections are not
/// its children (the manager's connection parent supervises them), so when the listener fails it is
/// restarted with the same socket and port, re-arms, and no connection notices. Its accept lives on
/// one ring (placed when it bound); the connections it accepts are placed on every ring by the
/// manager's connection parent. If that ring restarts, the accept's final completion (or
/// <see cref="RingRestarted"/>) makes the listener accept again, on the new ring.
/// </summary>
internal sealed class TcpListenerActor : ReceiveActor, IWithTimers
{
    private readonly RingShard _ring;
    private readonly UringSettings _settings;
    private readonly AkkaTcp.Bind _bind;
    private readonly IActorRef _bindCommander;
    private readonly ListeningSocket _listening;
    private readonly IActorRef _connections;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private OperationHandle? _accept;
    private bool _acceptInFlight;
    private IActorRef? _unbindCommander;

    public TcpListenerActor(RingShard ring, UringSettings settings, AkkaTcp.Bind bind, IActorRef bindCommander, ListeningSocket listening, IActorRef connections)
    {
        _connections = connections;
        _ring = ring;
        _settings = settings;
        _bind = bind;
        _bindCommander = bindCommander;
        _listening = listening;
        Receive<RingProtocol.Submitted>(submitted => submitted.Tag is AcceptTag tag && tag.Generation == _listening.Generation, submitted =>
        {
            _accept = submitted.Handle;
            if (_unbindCommander is not null)
            {
                CancelAccept(); // Unbind arrived while the accept was on its way to the ring
            }
        });
        Receive<RingProtocol.Completed>(completed => completed.Tag is AcceptTag, OnAccepted);
        Receive<RingProtocol.SubmitFailed>(failed => throw new InvalidOperationException("The ring refused the multishot accept.", failed.Cause));
        Receive<ArmAgain>(_ => Arm());
        Receive<RingRestarted>(restarted => _acceptInFlight && _accept is { } accept && ReferenceEquals(accept.Ring, restarted.Ring), _ =>
        {
            _acceptInFlight = false; // the old ring took the accept with it; its completion never comes
            if (_unbindCommander is not null)
            {
                FinishUnbind();
            }
            else
            {
                Arm();
            }
        });
        Receive<AkkaTcp.Unbind>(_ => Unbind());
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_bind.Handler), _ =>
        {
            _log.Debug("The bind handler of {0} stopped: unbinding", _listening.Socket?.LocalEndPoint);
            Unbind();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_listening.Socket is null)
        {
            var socket = new Socket(_bind.LocalAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(_bind.LocalAddress);
                socket.Listen(_bind.Backlog > 0 ? _bind.Backlog : _settings.Backlog);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                _log.Warning("Bind to {0} failed: {1}", _bind.LocalAddress, e.Message);
                _bindCommander.Tell(TcpFailure.Of(_bind, TcpFailure.Socket(e.SocketErrorCode, $"Bind to {_bind.LocalAddress} failed: {e.Message}")));
                Context.Stop(Self);
                return;
            }

            _listening.Socket = socket;
            _bindCommander.Tell(new AkkaTcp.Bound(socket.LocalEndPoint!));
        }

        Context.Watch(_bind.Handler); // death pact: a listener outlives no bind handler
        _ring.Settle(Self);
        Arm();
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // Keep the socket (PostStop would close it); cancel the accept the failed instance armed.
        _log.Warning("Listener on {0} failed and restarts with the same socket: {1}", _listening.Socket?.LocalEndPoint, reason.Message);
        CancelAccept();
    }

    protected override void PostStop()
    {
        _ring.Depart(Self);
        CancelAccept();
        if (_listening.Socket is { } socket)
        {
            _listening.Socket = null;
            _ = Task.Run(socket.Dispose); // waits until the ring has released the socket, then closes it
        }
    }

    private void Arm()
    {
        if (_listening.Socket is not { } socket)
        {
            return;
        }

        _listening.Generation++;
        _accept = null;
        _acceptInFlight = true;
        _ring.Owner.Tell(new RingProtocol.Submit(
            (ring, userData) => ring.SubmitAcceptMultishot(socket, SocketCreationFlags.NonBlocking | SocketCreationFlags.CloseOnExec, userData),
            new AcceptTag(_listening.Generation),
            AcknowledgeWith: true));
    }

    private void OnAccepted(RingProtocol.Completed completed)
    {
        var current = ((AcceptTag)completed.Tag!).Generation == _listening.Generation;
        var completion = completed.Completion;
        if (completion.Result is AcceptedSocket { RemoteEndPoint: { } remote } accepted)
        {
            _connections.Tell(new AcceptedConnection(accepted.ToSocket(), remote, _bind.Handler));
        }
        else if (completion.Result is AcceptedSocket gone)
        {
            gone.ToSocket().Dispose(); // reset before its address could be read: nobody to talk to
        }

        if (completion.HasMore || !current)
        {
            return;
        }

        _acceptInFlight = false;
        if (_unbindCommander is not null)
        {
            FinishUnbind();
        }
        else if (completion.Error is Errno.EMFILE or Errno.ENFILE)
        {
            _log.Warning("Listener on {0} is out of file descriptors ({1}); accepting again in {2}", _listening.Socket?.LocalEndPoint, completion.Error, _settings.AcceptRetryDelay);
            Timers.StartSingleTimer(nameof(ArmAgain), ArmAgain.Instance, _settings.AcceptRetryDelay);
        }
        else
        {
            if (!completion.IsSuccess)
            {
                _log.Info("Multishot accept on {0} ended with {1}; re-arming", _listening.Socket?.LocalEndPoint, completion.Error);
            }

            Arm(); // the kernel ended the multishot (F_MORE clear): keep accepting
        }
    }

    private void Unbind()
    {
        _unbindCommander = Sender.IsNobody() ? Context.System.DeadLetters : Sender;
        if (_acceptInFlight)
        {
            CancelAccept(); // Unbound follows the accept's final completion; without a handle yet, Submitted cancels it
            return;
        }

        FinishUnbind();
    }

    /// <summary>
    /// No accept is in the ring any more, so the ring holds no reference to the socket: close it now,
    /// before <see cref="AkkaTcp.Unbound"/>, so that nothing connects once the commander has heard it.
    /// </summary>
    private void FinishUnbind()
    {
        _listening.Socket?.Dispose();
        _listening.Socket = null;
        _unbindCommander!.Tell(AkkaTcp.Unbound.Instance);
        Context.Stop(Self);
    }

    private void CancelAccept()
    {
        if (_accept is { } handle)
        {
            _ring.Owner.Tell(new RingProtocol.Cancel(handle));
        }
    }

    private sealed record AcceptTag(int Generation);

    private sealed class ArmAgain
    {
        private ArmAgain()
        {
        }

        public static ArmAgain Instance { get; } = new();
    }
}
