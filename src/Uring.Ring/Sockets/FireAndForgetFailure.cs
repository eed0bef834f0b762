namespace Uring;

/// <summary>
/// A fire-and-forget operation (<see cref="Ring.SubmitCloseAndForget"/> and its siblings) that
/// failed: what it was, the descriptor it acted on, and the kernel's error. Handed to
/// <see cref="Ring.FireAndForgetFailed"/>, or logged as a warning when that is unset.
/// </summary>
/// <param name="Kind">The operation: <see cref="CompletionKind.Close"/>, <see cref="CompletionKind.Shutdown"/>, <see cref="CompletionKind.Cancel"/> or <see cref="CompletionKind.PollRemove"/>.</param>
/// <param name="Fd">The descriptor (a registered file's slot for one), or -1 for a cancel or poll-remove, which name an operation instead.</param>
/// <param name="Error">The kernel's error.</param>
public readonly record struct FireAndForgetFailure(CompletionKind Kind, int Fd, Errno Error);
