using System.Runtime.ExceptionServices;

namespace Uring.Tests.Infrastructure;

/// <summary>
/// A dedicated thread for tests that need a specific OS thread (a foreign submitter, a blocked
/// waiter). An exception on it is captured and rethrown by <see cref="Join"/> instead of taking
/// the test host down.
/// </summary>
public sealed class BackgroundThread
{
    private readonly Thread _thread;
    private Exception? _error;

    public BackgroundThread(Action body)
    {
        _thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                _error = e;
            }
        })
        { IsBackground = true };
        _thread.Start();
    }

    /// <summary>Waits for the thread; false on timeout; rethrows what the thread threw.</summary>
    public bool Join(TimeSpan timeout)
    {
        if (!_thread.Join(timeout))
        {
            return false;
        }

        if (_error is not null)
        {
            ExceptionDispatchInfo.Capture(_error).Throw();
        }

        return true;
    }

    /// <summary>Runs <paramref name="body"/> on a new thread and waits for it.</summary>
    public static void Run(Action body) => Assert.True(new BackgroundThread(body).Join(TimeSpan.FromSeconds(30)), "the background thread did not finish");
}
