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
    /// <summary>Called by Akka with the dispatcher's configuration section.</summary>
    /// <param name="config">The section (<c>throughput</c>, <c>throughput-deadline-time</c>, <c>shutdown-timeout</c>).</param>
    /// <param name="prerequisites">The actor system's dispatcher services.</param>
    public RingLoopDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
    }

    /// <summary>A new dispatcher, with a new loop thread, for each owner.</summary>
    public override MessageDispatcher Dispatcher()
    {
        return new PinnedDispatcher(
            this,
            Config.GetString("id", null),
            Config.GetInt("throughput", 0),
            ThroughputDeadline(Config),
            new LoopFactory(),
            Config.GetTimeSpan("shutdown-timeout", null));
    }

    /// <summary>
    /// The section's <c>throughput-deadline-time</c> in ticks, or null (no deadline) when it is unset
    /// or zero: Akka's mailbox reads a deadline of 0 as already passed and would end every run after
    /// one message.
    /// </summary>
    internal static long? ThroughputDeadline(Config config) =>
        config.GetTimeSpan("throughput-deadline-time", null) is var deadline && deadline > TimeSpan.Zero ? deadline.Ticks : null;

    private sealed class LoopFactory : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new RingLoop(id);
    }
}
