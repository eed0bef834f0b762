using System.Collections.Concurrent;
using System.Net;

namespace Uring.Host.Services;

/// <summary>Where each service ended up listening (useful with port 0): filled as services bind.</summary>
public sealed class ServiceEndpoints
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<EndPoint>> _bound = new();

    /// <summary>The endpoint service <paramref name="name"/> bound, once it has.</summary>
    public Task<EndPoint> WhenBound(string name) => Source(name).Task;

    internal void Bound(string name, EndPoint endpoint) => Source(name).TrySetResult(endpoint);

    internal void Failed(string name, Exception error) => Source(name).TrySetException(error);

    private TaskCompletionSource<EndPoint> Source(string name) =>
        _bound.GetOrAdd(name, static _ => new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously));
}
