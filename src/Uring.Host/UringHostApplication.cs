using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Uring.Actors.Hosting;
using Uring.Host.Services;
using Uring.Remote.Hosting;

namespace Uring.Host;

/// <summary>
/// Builds the Uring service host: configuration (<c>config/appsettings.json</c> beside the program,
/// then environment variables, then command-line arguments), Serilog, an actor system with
/// <c>WithUring(...)</c>, and the enabled services. The program and the tests build it the same way.
/// </summary>
public static class UringHostApplication
{
    /// <summary>The actor system's name.</summary>
    public const string ActorSystemName = "uring-host";

    /// <summary>Where the embedded defaults live, relative to the program's directory.</summary>
    public static string DefaultSettingsPath => Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json");

    /// <summary>Reads the configuration in override order: defaults file, environment, command line.</summary>
    public static IConfigurationRoot ReadConfiguration(string[] args) =>
        new ConfigurationBuilder()
            .AddJsonFile(DefaultSettingsPath, optional: false, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

    /// <summary>
    /// Builds the host from checked <paramref name="settings"/> and the <paramref name="configuration"/>
    /// they came from (which also configures Serilog). Sets Serilog's static logger, which
    /// Akka.Logger.Serilog writes to.
    /// </summary>
    public static IHost Build(HostConfiguration settings, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "Uring.Host",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(configuration);
        Log.Logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger();
        builder.Services.AddSerilog(Log.Logger, dispose: true);
        builder.Services.AddSingleton<ServiceEndpoints>();
        builder.Services.AddSingleton(settings);
        builder.Services.AddAkka(ActorSystemName, akka => akka
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = AkkaLogLevel(configuration);
                loggers.ClearLoggers();
                loggers.AddSerilogLogging();
            })
            .WithUring(settings.Uring)
            .WithClusterNode(settings.Cluster)
            .WithActors((system, registry, resolver) =>
                ServiceStarter.Start(system, registry, resolver.GetService<ServiceEndpoints>(), settings)));
        builder.Services.AddHostedService<ServicesBoundCheck>();
        return builder.Build();
    }

    /// <summary>With <c>Uring:Cluster:Enabled</c>: Akka.Remote over the Uring transport, and cluster membership from the seed nodes.</summary>
    private static AkkaConfigurationBuilder WithClusterNode(this AkkaConfigurationBuilder akka, ClusterConfiguration cluster) =>
        !cluster.Enabled ? akka : akka
            .WithUringRemoting(cluster.Hostname, cluster.Port, cluster.PublicHostname)
            .WithClustering(new ClusterOptions { SeedNodes = [.. cluster.SeedNodes] });

    /// <summary>
    /// Akka filters log events before Serilog sees them, so its level follows Serilog's:
    /// <c>Serilog:MinimumLevel:Override:Akka</c>, else <c>Serilog:MinimumLevel:Default</c>.
    /// </summary>
    private static Akka.Event.LogLevel AkkaLogLevel(IConfiguration configuration) =>
        (configuration["Serilog:MinimumLevel:Override:Akka"] ?? configuration["Serilog:MinimumLevel:Default"]) switch
        {
            "Verbose" or "Debug" => Akka.Event.LogLevel.DebugLevel,
            "Warning" => Akka.Event.LogLevel.WarningLevel,
            "Error" or "Fatal" => Akka.Event.LogLevel.ErrorLevel,
            _ => Akka.Event.LogLevel.InfoLevel,
        };
}
