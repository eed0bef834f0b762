namespace Uring;

/// <summary>
/// A snapshot of what a <see cref="Ring"/> lends the kernel right now. After every operation has
/// completed (and after <see cref="Ring.Dispose"/>) each count is 0; tests assert that it returns there.
/// </summary>
/// <param name="InFlight">Operations whose final completion has not been reaped.</param>
/// <param name="PinnedBuffers">Caller buffers pinned for those operations.</param>
/// <param name="RegisteredBufferRings">Provided-buffer rings registered for multishot receives.</param>
/// <param name="StaleCompletions">Completions whose operation had already ended (never delivered); stays 0 in a correct program.</param>
public readonly record struct RingDiagnostics(int InFlight, int PinnedBuffers, int RegisteredBufferRings, long StaleCompletions);
