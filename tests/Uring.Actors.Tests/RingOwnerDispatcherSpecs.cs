using Akka.Actor;

namespace Uring.Actors.Tests;

/// <summary>The owner on a dispatcher that is not a ring loop: it refuses to start and says how to fix the configuration.</summary>
public class RingOwnerDispatcherSpecs : UringSpec
{
    public RingOwnerDispatcherSpecs()
        : base("uring.owner-dispatcher { type = PinnedDispatcher }")
    {
    }

    [Fact]
    public void An_owner_outside_a_ring_loop_fails_to_start_with_a_message_that_names_the_setting()
    {
        EventFilter.Exception<ActorInitializationException>(contains: "uring.owner-dispatcher").ExpectOne(() =>
        {
            var owner = Sys.ActorOf(RingOwnerActor.Props(UringSettings.From(Sys.Settings.Config)));
            Watch(owner);
            ExpectTerminated(owner);
        });
    }
}
