using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Uring.Actors;
using Uring.Host.Tests.Infrastructure;

namespace Uring.Host.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void The_embedded_defaults_are_the_documented_ones()
    {
        var settings = HostConfiguration.Read(UringHostApplication.ReadConfiguration([]));

        Assert.Null(settings.Uring.RingCount); // auto: one ring per CPU
        Assert.Equal(256, settings.Uring.Entries);
        Assert.True(settings.Uring.SingleIssuer);
        Assert.True(settings.Uring.DeferTaskrun);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:7007"), settings.Echo.Endpoint);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8080"), settings.Http.Endpoint);
        Assert.True(settings.Echo.Enabled && settings.Http.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.HttpHeaderTimeout); // Kestrel's RequestHeadersTimeout
        Assert.False(settings.Cluster.Enabled); // dotnet run stays a single node
    }

    [Fact]
    public void An_enabled_cluster_node_without_seed_nodes_seeds_itself_at_its_public_address()
    {
        var settings = HostConfiguration.Read(UringHostApplication.ReadConfiguration(
            ["--Uring:Cluster:Enabled=true", "--Uring:Cluster:Port=4100", "--Uring:Cluster:PublicHostname=node-a"]));

        Assert.Equal([$"akka.tcp://{UringHostApplication.ActorSystemName}@node-a:4100"], settings.Cluster.SeedNodes);
    }

    [Fact]
    public void The_appsettings_file_repeats_the_reference_conf_defaults_of_Uring_Actors_but_for_leased_receive_which_its_services_take()
    {
        var settings = HostConfiguration.Read(UringHostApplication.ReadConfiguration([]));

        var fromFile = UringSettings.From(ConfigurationFactory.ParseString(settings.Uring.ToHocon()));

        Assert.Equal(UringSettings.From(Config.Empty) with { LeasedReceive = true }, fromFile);
    }

    [Fact]
    public void Environment_variables_override_the_file_and_the_command_line_overrides_both()
    {
        const string variable = "Uring__Ring__Entries";
        Environment.SetEnvironmentVariable(variable, "64");
        try
        {
            Assert.Equal(64, HostConfiguration.Read(UringHostApplication.ReadConfiguration([])).Uring.Entries);
            Assert.Equal(32, HostConfiguration.Read(UringHostApplication.ReadConfiguration(["--Uring:Ring:Entries=32"])).Uring.Entries);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("Uring:Ring:Count", "0")]
    [InlineData("Uring:Ring:Count", "1025")]
    [InlineData("Uring:Ring:Count", "all")]
    [InlineData("Uring:Ring:Entries", "0")]
    [InlineData("Uring:Ring:Entries", "lots")]
    [InlineData("Uring:Ring:MaxInFlight", "-1")]
    [InlineData("Uring:Ring:SingleIssuer", "maybe")]
    [InlineData("Uring:Ring:DrainTimeout", "soon")]
    [InlineData("Uring:Tcp:ReceiveBufferSize", "0")]
    [InlineData("Uring:Tcp:IdleTimeout", "00:00:00")]
    [InlineData("Uring:Tcp:IdleTimeout", "never")]
    [InlineData("Uring:Tcp:RegisterTimeout", "0")]
    [InlineData("Uring:Tcp:SharedReceiveBuffers", "-1")]
    [InlineData("Uring:Tcp:LeasedReceive", "sometimes")]
    [InlineData("Uring:Services:Http:WorkIterations", "-1")]
    [InlineData("Uring:Services:Http:Endpoint", "localhost:80:80")]
    [InlineData("Uring:Services:Http:HeaderTimeout", "00:00:00")]
    [InlineData("Uring:Services:Http:HeaderTimeout", "-00:00:01")]
    [InlineData("Uring:Services:Http:HeaderTimeout", "soon")]
    [InlineData("Uring:Services:Echo:Enabled", "yes")]
    [InlineData("Uring:Services:Http:OnRingLoop", "sometimes")]
    [InlineData("Uring:Cluster:Enabled", "on")]
    [InlineData("Uring:Cluster:Port", "65536")]
    [InlineData("Uring:Cluster:SeedNodes:0", "127.0.0.1:4053")]
    [InlineData("Uring:Cluster:SeedNodes:0", "akka.tcp://uring@127.0.0.1")]
    public void A_bad_value_fails_with_a_message_naming_its_key_and_what_it_should_be(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var error = Assert.Throws<HostConfigurationException>(() => HostConfiguration.Read(configuration));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_program_refuses_bad_configuration_at_start_with_one_line_naming_the_key_and_a_nonzero_exit()
    {
        using var program = HostProcess.Start(["--Uring:Ring:Entries=0"]);

        var exitCode = program.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var fatal = Assert.Single(program.Output.Split(Environment.NewLine), line => line.Contains("FTL", StringComparison.Ordinal));
        Assert.Contains("Uring:Ring:Entries", fatal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_line_override_changes_the_http_body()
    {
        await using var host = await RunningHost.StartAsync("--Uring:Services:Http:Body=overridden");
        using var client = new HttpClient();

        var body = await client.GetStringAsync(new Uri($"http://{await host.EndpointOf("http")}/"));

        Assert.Equal("overridden", body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_http_service_answers_with_its_handlers_on_the_ring_loop_or_on_akkas_default_dispatcher(bool onRingLoop)
    {
        await using var host = await RunningHost.StartAsync($"--Uring:Services:Http:OnRingLoop={onRingLoop}");
        using var client = new HttpClient();
        var address = new Uri($"http://{await host.EndpointOf("http")}/");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Hello from io_uring!\n", await client.GetStringAsync(address));
        }
    }

    [Fact]
    public async Task A_disabled_service_does_not_listen()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var freePort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        await using var host = await RunningHost.StartAsync("--Uring:Services:Echo:Enabled=false", $"--Uring:Services:Echo:Endpoint=127.0.0.1:{freePort}");
        await host.EndpointOf("http");

        Assert.False(host.Endpoints.WhenBound("echo").IsCompleted);
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, freePort));
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start_with_the_service_the_endpoint_and_the_key_to_change()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningHost.StartAsync($"--Uring:Services:Echo:Endpoint={occupant.LocalEndpoint}"));

        Assert.Contains($"echo could not listen on {occupant.LocalEndpoint}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Uring:Services:Echo:Endpoint", error.Message, StringComparison.Ordinal);
    }
}
