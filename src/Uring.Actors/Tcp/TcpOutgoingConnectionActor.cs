using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Uring.Actors.Protocol;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Actors.Tcp;

/// <summary>
/// An outgoing connection: creates a socket, connects it through the ring, then tells the
/// commander <see cref="AkkaTcp.Connected"/> and behaves as any <see cref="TcpConnectionActor"/>.
/// A refused or failed connect answers <see cref="AkkaTcp.CommandFailed"/>, and so does one that
/// outlives <see cref="AkkaTcp.Connect.Timeout"/>: the connect then carries a deadline in the ring
/// (<c>IOSQE_IO_LINK</c> + <c>LINK_TIMEOUT</c>), which cancels it in the kernel.
/// </summary>
internal sealed class TcpOutgoingConnectionActor : TcpConnectionActor
{
    private readonly AkkaTcp.Connect _connect;
    private readonly IActorRef _commander;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public TcpOutgoingConnectionActor(RingShard ring, UringSettings settings, Socket socket, AkkaTcp.Connect connect, IActorRef commander)
        : base(ring, settings, socket, connect.RemoteAddress)
    {
        _connect = connect;
        _commander = commander;
    }

    /// <summary>Connecting: waits for the connect's completion.</summary>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RingProtocol.Completed { Tag: ConnectTag, Completion.IsSuccess: true }:
                BecomeConnected(_connect.RemoteAddress, _commander);
                break;
            case RingProtocol.Completed { Tag: ConnectTag } failed when failed.Completion.TimedOut:
                _log.Debug("Connect to {0} timed out after {1}", _connect.RemoteAddress, _connect.Timeout);
                Fail(TcpFailure.Socket(SocketError.TimedOut, $"Connect to {_connect.RemoteAddress} timed out after {_connect.Timeout} (Connect.Timeout)"));
                break;
            case RingProtocol.Completed { Tag: ConnectTag } failed:
                Fail(TcpFailure.FromErrno(failed.Completion.Error, $"Connect to {_connect.RemoteAddress} failed"));
                break;
            case RingProtocol.SubmitFailed submitFailed:
                Fail(submitFailed.Cause);
                break;
            case RingRestarted:
                _log.Warning("Connect to {0} failed: its ring restarted while it was connecting", _connect.RemoteAddress);
                Fail(TcpFailure.Socket(SocketError.OperationAborted, $"Connect to {_connect.RemoteAddress} failed: its ring restarted while it was connecting"));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PreStart()
    {
        base.PreStart();
        var socket = Socket;
        var remote = _connect.RemoteAddress;
        Func<Ring, object, OperationHandle> start = _connect.Timeout is { } timeout
            ? (ring, userData) => ring.SubmitConnect(socket, remote, timeout, userData)
            : (ring, userData) => ring.SubmitConnect(socket, remote, userData);
        Owner.Tell(new RingProtocol.Submit(start, ConnectTag.Instance));
    }

    private void Fail(Exception cause)
    {
        _commander.Tell(TcpFailure.Of(_connect, cause));
        Context.Stop(Self);
    }

    private sealed class ConnectTag
    {
        private ConnectTag()
        {
        }

        public static ConnectTag Instance { get; } = new();
    }
}
