namespace Uring.Tests.Infrastructure;

/// <summary>
/// Tests that measure or disturb the whole process — open descriptor counts, forced compacting
/// collections — run in this collection, alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Process-wide state";
}
