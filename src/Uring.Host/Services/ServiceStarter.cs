using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Uring.Actors;
using Uring.Actors.Hosting;
using Uring.Actors.Tcp;

namespace Uring.Host.Services;

/// <summary>Starts the enabled services as actors bound through UringTcp.</summary>
internal static class ServiceStarter
{
    /// <summary>The echo service's default endpoint.</summary>
    public static readonly IPEndPoint DefaultEchoEndpoint = new(IPAddress.Loopback, 7007);

    /// <summary>The HTTP service's default endpoint.</summary>
    public static readonly IPEndPoint DefaultHttpEndpoint = new(IPAddress.Loopback, 8080);

    /// <summary>
    /// The handlers answer without blocking, so by default they run on the loop of their
    /// connection's ring: a request is read, answered and sent on one thread (docs/performance-log.md,
    /// item 14), and each ring's connections on that ring's own thread.
    /// </summary>
    private static Props Handler(Props props, IActorRef connection, ServiceConfiguration service) =>
        service.OnRingLoop ? props.WithLoopDispatcherOf(connection) : props;

    public static void Start(ActorSystem system, IActorRegistry registry, ServiceEndpoints endpoints, HostConfiguration settings)
    {
        var tcp = registry.Get<UringTcpManager>();
        if (settings.Echo.Enabled)
        {
            var endpoint = settings.Echo.Endpoint ?? DefaultEchoEndpoint;
            system.ActorOf(
                FactoryProps.Create(() => new TcpService("echo", tcp, endpoint, endpoints, connection => Handler(FactoryProps.Create(() => new EchoConnection(connection)), connection, settings.Echo))),
                "echo");
        }

        if (settings.Http.Enabled)
        {
            var endpoint = settings.Http.Endpoint ?? DefaultHttpEndpoint;
            var response = HttpConnection.ResponseFor(settings.HttpBody);
            system.ActorOf(
                FactoryProps.Create(() => new TcpService("http", tcp, endpoint, endpoints, connection => Handler(FactoryProps.Create(() => new HttpConnection(connection, response, settings.HttpWorkIterations, settings.HttpHeaderTimeout)), connection, settings.Http))),
                "http");
        }
    }
}
