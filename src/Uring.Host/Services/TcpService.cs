using System.Net;
using Akka.Actor;
using Akka.Event;
using AkkaTcp = Akka.IO.Tcp;

namespace Uring.Host.Services;

/// <summary>
/// A listening service on UringTcp: binds, reports where, and gives each connection a handler made
/// by <c>handler</c>. Handlers that fail are stopped (their connection then closes).
/// </summary>
internal sealed class TcpService : ReceiveActor
{
    public TcpService(string name, IActorRef tcpManager, EndPoint endpoint, ServiceEndpoints endpoints, Func<IActorRef, Props> handler)
    {
        var log = Context.GetLogger();
        tcpManager.Tell(new AkkaTcp.Bind(Self, endpoint));
        Receive<AkkaTcp.Bound>(bound =>
        {
            log.Info("Service {Service} listening on {Endpoint}", name, bound.LocalAddress);
            endpoints.Bound(name, bound.LocalAddress);
        });
        Receive<AkkaTcp.CommandFailed>(failed =>
        {
            log.Error("Service {Service} could not bind {Endpoint}: is the port in use?", name, endpoint);
            endpoints.Failed(name, new InvalidOperationException($"Service {name} could not listen on {endpoint}: is the port in use? Change Uring:Services:{char.ToUpperInvariant(name[0])}{name[1..]}:Endpoint or disable the service."));
            Context.Stop(Self);
        });
        Receive<AkkaTcp.Connected>(_ =>
        {
            var connection = Sender;
            connection.Tell(new AkkaTcp.Register(Context.ActorOf(handler(connection))));
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
}
