using Akka.Configuration;
using Akka.Dispatch;

namespace Uring.Actors;

/// <summary>
/// The dispatcher of <c>uring.owner-dispatcher</c>: like Akka's <c>PinnedDispatcher</c>, each ring
/// owner gets a thread of its own, but that thread is a <c>RingLoop</c>, which submits the SQEs the
/// owner prepares and reaps their completions between the owner's mailbox runs. Named in HOCON as
/// <c>type = "Uring.Actors.RingLoopDispatcherConfigurator, Uring.Actors"</c>; not meant for other actors.
/// </summary>
public sealed class RingLoopDispatcherConfigurator : MessageDispatcherConfigurator
{
    private static int s_unnamedLoops;

    private readonly RingLoop? _loop;

    /// <summary>Called by Akka with the dispatcher's configuration section.</summary>
    /// <param name="config">The section (<c>throughput</c>, <c>throughput-deadline-time</c>, <c>shutdown-timeout</c>).</param>
    /// <param name="prerequisites">The actor system's dispatcher services.</param>
    public RingLoopDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : this(config, prerequisites, null)
    {
    }

    /// <summary>The dispatcher of one extension ring's owner, on that ring's <paramref name="loop"/>, which the extension made.</summary>
    internal RingLoopDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, RingLoop? loop)
        : base(config, prerequisites) => _loop = loop;

    /// <summary>A new dispatcher, with a new loop thread (<c>uring-loop-N</c>), for each owner; or the extension ring's own loop.</summary>
    public override MessageDispatcher Dispatcher()
    {
        return new PinnedDispatcher(
            this,
            Config.GetString("id", null),
            Config.GetInt("throughput", 0),
            ThroughputDeadline(Config),
            new LoopFactory(_loop),
            Config.GetTimeSpan("shutdown-timeout", null));
    }

    /// <summary>
    /// The section's <c>throughput-deadline-time</c> in ticks, or null (no deadline) when it is unset
    /// or zero: Akka's mailbox reads a deadline of 0 as already passed and would end every run after
    /// one message.
    /// </summary>
    internal static long? ThroughputDeadline(Config config) =>
        config.GetTimeSpan("throughput-deadline-time", null) is var deadline && deadline > TimeSpan.Zero ? deadline.Ticks : null;

    private sealed class LoopFactory(RingLoop? loop) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => loop ?? new RingLoop(id, $"uring-loop-{Interlocked.Increment(ref s_unnamedLoops)}");
    }
}
