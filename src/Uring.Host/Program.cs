using Microsoft.Extensions.Hosting;
using Serilog;
using Uring;
using Uring.Host;

// Configuration errors and an unusable io_uring end the program with one clear line each, before
// any actor starts. Serilog's bootstrap logger writes them until the configured one takes over.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    HostConfiguration settings;
    Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
    try
    {
        configuration = UringHostApplication.ReadConfiguration(args);
        settings = HostConfiguration.Read(configuration);
    }
    catch (Exception error) when (error is HostConfigurationException or InvalidDataException or FormatException or FileNotFoundException)
    {
        Log.Fatal("Bad configuration: {Reason}", error.Message);
        return 2;
    }

    var probe = UringProbe.Probe();
    if (!probe.Available)
    {
        Log.Fatal("io_uring is unavailable here ({Errno}): {Reason}", probe.Errno, probe.UnavailableReason);
        return 1;
    }

    using var host = UringHostApplication.Build(settings, configuration);
    Log.Information(
        "io_uring available: kernel features {Features}; supported {Supported}; missing {Missing}",
        probe.Features,
        probe.Capabilities.Where(capability => capability.Value).Select(capability => capability.Key).ToArray(),
        probe.Capabilities.Where(capability => !capability.Value).Select(capability => capability.Key).ToArray());
    await host.RunAsync();
    return 0;
}
catch (Exception error)
{
    Log.Fatal(error, "The host failed: {Reason}", error.Message);
    return 3;
}
finally
{
    await Log.CloseAndFlushAsync();
}
