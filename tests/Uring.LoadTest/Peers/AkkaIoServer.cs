using System.Net;
using Akka.Actor;
using Akka.IO;
using Uring.Actors;
using Uring.Host.Services;

namespace Uring.LoadTest.Peers;

/// <summary>
/// The Akka.IO peer: the host's own service actors (the same <see cref="TcpService"/>,
/// <see cref="HttpConnection"/> and <see cref="EchoConnection"/>) bound through Akka.IO's TCP
/// manager instead of UringTcp, so only the transport differs.
/// </summary>
internal static class AkkaIoServer
{
    public static async Task RunAsync(bool http, int port, int workIterations, Action<EndPoint> ready)
    {
        using var system = ActorSystem.Create("akkaio-peer", "akka.loglevel = WARNING");
        var endpoints = new ServiceEndpoints();
        var response = HttpConnection.ResponseFor(HttpResponses.Body);
        Func<IActorRef, Props> handler = http
            ? connection => FactoryProps.Create(() => new HttpConnection(connection, response, workIterations))
            : connection => FactoryProps.Create(() => new EchoConnection(connection));
        var name = http ? "http" : "echo";
        system.ActorOf(FactoryProps.Create(() => new TcpService(name, system.Tcp(), new IPEndPoint(IPAddress.Loopback, port), endpoints, handler)));
        ready(await endpoints.WhenBound(name));
        await system.WhenTerminated;
    }
}
