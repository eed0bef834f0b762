using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Uring.Actors.Tests;

/// <summary>Props from a factory delegate: a new instance at start and at every restart, as a constructor call gives.</summary>
public class FactoryPropsSpecs : TestKit
{
    [Fact]
    public void An_actor_from_factory_props_is_built_again_by_the_factory_when_it_restarts()
    {
        var built = 0;
        var actor = Sys.ActorOf(FactoryProps.Create(() => new Counter(Interlocked.Increment(ref built), TestActor)));

        actor.Tell("which");
        ExpectMsg(1);
        actor.Tell("fail");
        actor.Tell("which");
        ExpectMsg(2);
        Assert.Equal(2, Volatile.Read(ref built));
    }

    [Fact]
    public void Factory_props_refuse_a_missing_factory_and_name_it()
    {
        var error = Assert.Throws<ArgumentNullException>(() => FactoryProps.Create<Counter>(null!));
        Assert.Equal("factory", error.ParamName);
    }

    private sealed class Counter(int instance, IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "which":
                    probe.Tell(instance);
                    break;
                case "fail":
                    throw new InvalidOperationException("restart me");
            }
        }
    }
}
