namespace Uring;

/// <summary>
/// Decides what a serving worker does when <see cref="Ring.Callback"/> throws: returning keeps the
/// worker serving (the exception is handled); throwing — or leaving <see cref="Ring.CallbackExceptionHandler"/>
/// unset — stops the worker group as before (<see cref="Ring.ServingFault"/>, <see cref="Ring.CallbackFailed"/>).
/// </summary>
/// <param name="ring">The ring whose callback threw.</param>
/// <param name="exception">What the callback threw.</param>
/// <param name="completions">The completions the callback was handling (one today). A leased
/// buffer among them is the handler's to dispose if the callback did not.</param>
public delegate void ServingExceptionHandler(Ring ring, Exception exception, IReadOnlyList<Completion> completions);
