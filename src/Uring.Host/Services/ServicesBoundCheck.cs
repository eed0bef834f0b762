using Microsoft.Extensions.Hosting;

namespace Uring.Host.Services;

/// <summary>
/// Makes the host's start wait until every enabled service listens, and fail (with the service's
/// reason) when one cannot — a port in use ends the program at start rather than leaving a host
/// that answers nothing. Registered after Akka.Hosting's service, so the actors exist by then.
/// </summary>
internal sealed class ServicesBoundCheck(ServiceEndpoints endpoints, HostConfiguration settings) : IHostedService
{
    private static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var enabled = new List<string>();
        if (settings.Echo.Enabled)
        {
            enabled.Add("echo");
        }

        if (settings.Http.Enabled)
        {
            enabled.Add("http");
        }

        await Task.WhenAll(enabled.Select(name => endpoints.WhenBound(name))).WaitAsync(BindTimeout, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
