using Akka.Actor;

namespace Uring.Actors;

/// <summary>
/// <see cref="Props"/> that create their actor by calling a delegate: what a server that starts an
/// actor per connection should use for it.
/// </summary>
/// <remarks>
/// Akka's <c>Props.Create(() =&gt; new Handler(connection))</c> takes an expression tree, and every
/// call compiles its constructor arguments into new code: about 0.4 ms of CPU per call here, most of
/// it in the JIT. The host's HTTP service made two such props per connection (the connection and its
/// handler), and opening and closing a connection cost ~1 ms of CPU, against ~40 µs for C liburing
/// (docs/performance-log.md, item 12). A delegate costs one small allocation. It may also call internal constructors, which Akka's reflection-based
/// props cannot reach.
/// <para>Unlike an expression, whose arguments Akka evaluates once when it makes the props, the
/// delegate runs when the actor is built — at start and again at every restart — on the new actor's
/// thread. So read <c>Sender</c>, <c>Self</c> or anything that must be made only once into a local
/// first, and capture that: <c>var commander = Sender; FactoryProps.Create(() =&gt; new Worker(commander))</c>.</para>
/// </remarks>
public static class FactoryProps
{
    /// <summary>Props whose actor, at start and at every restart, is <paramref name="factory"/>'s new instance.</summary>
    /// <typeparam name="TActor">The actor's type.</typeparam>
    /// <param name="factory">Builds a new actor on every call; it runs on the actor's dispatcher.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Props.CreateBy(new Producer<TActor>(factory));
    }

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer
        where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
        }
    }
}
