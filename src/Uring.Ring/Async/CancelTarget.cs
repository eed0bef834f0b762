namespace Uring;

/// <summary>
/// What a <see cref="CancellationToken"/> callback cancels: one operation of one ring, named by its
/// generation-tagged token, so a callback that fires late cannot touch the slot's next operation.
/// </summary>
internal sealed record CancelTarget(Ring Ring, ulong OperationToken)
{
    internal static CancellationTokenRegistration Register(Ring ring, ulong operationToken, CancellationToken cancellation) =>
        cancellation.UnsafeRegister(static state => ((CancelTarget)state!).Cancel(), new CancelTarget(ring, operationToken));

    private void Cancel() => Ring.CancelFromAnyThread(OperationToken);
}
