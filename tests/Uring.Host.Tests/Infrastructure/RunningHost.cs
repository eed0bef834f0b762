using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Uring.Host.Services;

namespace Uring.Host.Tests.Infrastructure;

/// <summary>
/// The real host, built exactly as the program builds it, started in this process on free ports
/// (port 0) unless <c>overrides</c> say otherwise. Overrides are command-line arguments.
/// </summary>
public sealed class RunningHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private RunningHost(IHost host) => Host = host;

    /// <summary>The host.</summary>
    public IHost Host { get; }

    /// <summary>Where the services bound.</summary>
    public ServiceEndpoints Endpoints => Host.Services.GetRequiredService<ServiceEndpoints>();

    /// <summary>Starts a host with both services on free loopback ports, then <paramref name="overrides"/>.</summary>
    public static async Task<RunningHost> StartAsync(params string[] overrides)
    {
        string[] args =
        [
            "--Uring:Services:Echo:Endpoint=127.0.0.1:0",
            "--Uring:Services:Http:Endpoint=127.0.0.1:0",
            "--Serilog:MinimumLevel:Default=Warning",
            .. overrides,
        ];
        var configuration = UringHostApplication.ReadConfiguration(args);
        var host = new RunningHost(UringHostApplication.Build(HostConfiguration.Read(configuration), configuration));
        try
        {
            await host.Host.StartAsync().WaitAsync(StartTimeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The endpoint service <paramref name="name"/> bound.</summary>
    public async Task<IPEndPoint> EndpointOf(string name) => (IPEndPoint)await Endpoints.WhenBound(name).WaitAsync(StartTimeout);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Host.Dispose();
    }
}
