namespace Uring.Native;

/// <summary>
/// An eventfd that wakes a thread blocked in the ring's completion wait without a submission from
/// the waking thread. The ring keeps a multishot poll armed on it; <see cref="Signal"/> is one
/// <c>write(2)</c> from any thread, which the poll turns into a completion the waiter sees. This is
/// what makes <see cref="Ring.BreakWait"/> safe under SINGLE_ISSUER and when the SQ is full.
/// </summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    private readonly FileDescriptorHandle _fd;

    internal WakeSignal()
    {
        var fd = Interop.EventFd(0, Interop.EfdCloexec | Interop.EfdNonblock);
        if (fd < 0)
        {
            throw UringException.FromErrno("eventfd", Interop.LastErrno);
        }

        _fd = new FileDescriptorHandle(fd);
    }

    internal int Fd => _fd.Fd;

    /// <summary>Adds one to the counter; the armed poll posts a completion.</summary>
    internal void Signal()
    {
        ulong one = 1;
        while (Interop.Write(_fd.Fd, &one, sizeof(ulong)) < 0)
        {
            var errno = Interop.LastErrno;
            if (errno == Errno.EAGAIN)
            {
                return; // the counter is saturated: a wake-up is already pending
            }

            if (errno != Errno.EINTR)
            {
                throw UringException.FromErrno("write(eventfd)", errno);
            }
        }
    }

    /// <summary>Resets the counter so signals that raced with this wake-up coalesce into it.</summary>
    internal void Drain()
    {
        ulong value;
        while (Interop.Read(_fd.Fd, &value, sizeof(ulong)) < 0 && Interop.LastErrno == Errno.EINTR)
        {
        }
    }

    public void Dispose() => _fd.Dispose();
}
