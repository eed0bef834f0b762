namespace Uring;

public sealed partial class Ring
{
    /// <summary>
    /// Resizes the submission and completion queues in place (<c>IORING_REGISTER_RESIZE_RINGS</c>,
    /// Linux 6.13+) without disturbing operations in flight: the kernel copies submissions not yet
    /// consumed and completions not yet reaped into the new queues, and every completion is delivered
    /// afterwards as usual. <see cref="SqEntries"/> and <see cref="CqEntries"/> then report the new
    /// sizes (rounded up to powers of two). <see cref="MaxInFlight"/> does not change (automatic growth,
    /// <see cref="RingOptions.GrowCompletionQueueTo"/>, raises both): choose it at
    /// creation (<see cref="RingOptions.MaxInFlight"/>) for the largest CQ you will resize to, and
    /// keep it at or below the CQ size you shrink to, or completions wait in the kernel's overflow list.
    /// </summary>
    /// <remarks>
    /// The kernel resizes only rings created with <see cref="RingSetupFlags.DeferTaskrun"/> (which
    /// needs <see cref="RingSetupFlags.SingleIssuer"/>), and only on the submitter thread. The ring is
    /// held still meanwhile: the call takes the wait lock and the submit lock, so no completion is
    /// reaped and nothing is submitted while the queues move to new memory. It is refused while
    /// workers serve completions (<see cref="ServeCompletions"/>).
    /// </remarks>
    /// <param name="sqEntries">New submission queue size, 1 to 32768.</param>
    /// <param name="cqEntries">New completion queue size, from <paramref name="sqEntries"/> to 65536.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range; nothing reached the kernel.</exception>
    /// <exception cref="InvalidOperationException">The ring was not created with DeferTaskrun; the calling thread is not the submitter; or workers serve completions.</exception>
    /// <exception cref="ObjectDisposedException">The ring is closed.</exception>
    /// <exception cref="UringException">
    /// The kernel refused: EOVERFLOW when the new queues cannot hold the completions not yet reaped
    /// (or the submissions not yet consumed) — reap first, or resize larger; nothing was changed.
    /// </exception>
    public void Resize(int sqEntries, int cqEntries)
    {
        ThrowIfClosed();
        RawRing.ValidateResize(Flags, sqEntries, cqEntries);
        if (IsServing)
        {
            throw new InvalidOperationException("Workers are serving this ring's completions; StopServing() and join them before resizing, so that no one reads the queues while they move.");
        }

        // Wait lock first, as every reaper that submits takes them (see Serve): the queues are read
        // under the one and written under the other, and both move now.
        lock (_waitLock)
        {
            lock (_submitLock)
            {
                ThrowIfClosed();
                ThrowIfNotSubmitter();
                _raw.Resize(sqEntries, cqEntries);
            }
        }
    }
}
