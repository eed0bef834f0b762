namespace Uring;

/// <summary>One step of a ring's automatic growth (<see cref="RingOptions.GrowCompletionQueueTo"/>).</summary>
/// <param name="PreviousEntries">The completion queue's size before the step.</param>
/// <param name="Entries">Its size now, as the kernel sized it.</param>
/// <param name="MaxInFlight">The in-flight limit now: the new CQ size.</param>
/// <param name="Cap">The size growth stops at.</param>
public sealed record CompletionQueueGrowth(int PreviousEntries, int Entries, int MaxInFlight, int Cap);
