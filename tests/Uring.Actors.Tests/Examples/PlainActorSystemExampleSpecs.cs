using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using ExampleServer = EchoExample.EchoServer;

namespace Uring.Actors.Tests.Examples;

/// <summary>The plain-<c>ActorSystem</c> example of docs/actors.md ("Without Akka.Hosting") is this project's <c>PlainActorSystemExample.cs</c>, and it works.</summary>
public sealed class PlainActorSystemExampleSpecs
{
    private const string Begin = "// docs/actors.md example begin";
    private const string End = "// docs/actors.md example end";
    private const string Section = "## Without Akka.Hosting";

    [Fact]
    public void The_actors_page_shows_the_example_exactly_as_it_is_compiled_here()
    {
        var source = Between(File.ReadAllText(Path.Combine(SourceDirectory(), "PlainActorSystemExample.cs")), Begin, End);
        var page = File.ReadAllText(Path.Combine(SourceDirectory(), "..", "..", "..", "docs", "actors.md"));
        var section = page.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(section >= 0, $"docs/actors.md has no section '{Section}'");
        var block = Between(page[section..], "```csharp", "```");

        Assert.Equal(Normalise(source), Normalise(block));
    }

    [Fact]
    public async Task The_example_echoes_and_closes_on_bye_in_a_plain_actor_system_with_no_configuration()
    {
        using var system = ActorSystem.Create("example");
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)probe.LocalEndPoint!;
        probe.Dispose();
        system.ActorOf(FactoryProps.Create(() => new ExampleServer(endpoint)), "server");

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await ConnectWhenBound(client, endpoint);
        await client.SendAsync("hello\n"u8.ToArray());
        Assert.Equal("hello\n", await Read(client, 6));
        await client.SendAsync("bye\n"u8.ToArray());
        Assert.Equal("bye\n", await Read(client, 4));
        Assert.Equal(0, await client.ReceiveAsync(new byte[1]).WaitAsync(TimeSpan.FromSeconds(10))); // closed
        await system.Terminate();
    }

    private static async Task ConnectWhenBound(Socket client, IPEndPoint endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(endpoint);
                return;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(50); // the server binds on its own time
            }
        }
    }

    private static async Task<string> Read(Socket client, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(total)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(read > 0, "closed early");
            total += read;
        }

        return Encoding.UTF8.GetString(buffer);
    }

    private static string Between(string text, string begin, string end)
    {
        var start = text.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        return text[start..text.IndexOf(end, start, StringComparison.Ordinal)];
    }

    private static string Normalise(string code) => string.Join('\n', code.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0));

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
