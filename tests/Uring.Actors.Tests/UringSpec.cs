using Akka.Configuration;

namespace Uring.Actors.Tests;

/// <summary>A TestKit spec with quiet logging and real dispatchers (never CallingThreadDispatcher: the ring owner needs its pinned thread).</summary>
public abstract class UringSpec : Akka.TestKit.Xunit2.TestKit
{
    protected UringSpec(string? config = null)
        : base(ConfigurationFactory.ParseString(config ?? string.Empty).WithFallback(ConfigurationFactory.ParseString(BaseConfig)))
    {
    }

    private const string BaseConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.timefactor = 2
        """;
}
