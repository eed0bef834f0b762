namespace Uring.Native;

/// <summary>
/// One io_uring instance as the kernel hands it out: the ring fd, the mapped SQ/CQ rings and SQE
/// array, and the raw enter/register calls. Knows nothing of threads or operations; callers
/// (<see cref="RawRing"/>) decide who may touch which side.
/// </summary>
internal sealed unsafe partial class KernelRing : IDisposable
{
    private readonly FileDescriptorHandle _fd;
    private readonly MappedRegion _sqRing;
    private readonly MappedRegion? _cqRing;
    private readonly MappedRegion _sqes;

    private KernelRing(FileDescriptorHandle fd, in IoUringParams parameters, RingSetupFlags flags)
    {
        _fd = fd;
        Flags = flags;
        Features = (RingFeatures)parameters.Features;
        try
        {
            var sqRingSize = parameters.SqOffsets.Array + (parameters.SqEntries * sizeof(uint));
            var cqRingSize = parameters.CqOffsets.Cqes + (parameters.CqEntries * (uint)sizeof(CompletionQueueEntry));
            if ((Features & RingFeatures.SingleMmap) != 0)
            {
                // One mapping covers both rings (5.4+): map the larger of the two sizes once.
                _sqRing = MappedRegion.Map(fd.Fd, Math.Max(sqRingSize, cqRingSize), KernelConstants.OffSqRing);
            }
            else
            {
                _sqRing = MappedRegion.Map(fd.Fd, sqRingSize, KernelConstants.OffSqRing);
                _cqRing = MappedRegion.Map(fd.Fd, cqRingSize, KernelConstants.OffCqRing);
            }

            _sqes = MappedRegion.Map(fd.Fd, parameters.SqEntries * (nuint)sizeof(SubmissionQueueEntry), KernelConstants.OffSqes);
        }
        catch
        {
            _sqRing?.Dispose();
            _cqRing?.Dispose();
            throw;
        }

        Sq = new SubmissionQueue(_sqRing.Address, parameters.SqOffsets, (SubmissionQueueEntry*)_sqes.Address, (flags & RingSetupFlags.NoSqArray) == 0);
        Cq = new CompletionQueue((_cqRing ?? _sqRing).Address, parameters.CqOffsets);
    }

    internal SubmissionQueue Sq { get; }

    internal CompletionQueue Cq { get; }

    internal RingSetupFlags Flags { get; }

    internal RingFeatures Features { get; }

    internal int Fd => _fd.Fd;

    /// <summary>
    /// Calls io_uring_setup and maps the rings. Throws <see cref="UringUnavailableException"/> when
    /// io_uring is absent or forbidden, <see cref="UringException"/> for other refusals.
    /// </summary>
    internal static KernelRing Setup(uint entries, uint completionEntries, RingSetupFlags flags)
    {
        var parameters = default(IoUringParams);
        parameters.Flags = (uint)flags;
        if (completionEntries != 0)
        {
            parameters.Flags |= (uint)RingSetupFlags.CqSize;
            parameters.CqEntries = completionEntries;
        }

        int fd;
        try
        {
            fd = Interop.IoUringSetup(entries, &parameters);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new UringUnavailableException($"io_uring is not available: the C library's syscall() could not be loaded ({e.Message}).", e);
        }

        if (fd < 0)
        {
            throw SetupFailure.For(Interop.LastErrno, entries, (RingSetupFlags)parameters.Flags);
        }

        return new KernelRing(new FileDescriptorHandle(fd), parameters, (RingSetupFlags)parameters.Flags);
    }

    /// <summary>io_uring_enter without an argument. Returns the syscall's result, or the negated errno.</summary>
    internal int Enter(uint toSubmit, uint minComplete, EnterFlags flags)
    {
        var result = Interop.IoUringEnter(Fd, toSubmit, minComplete, flags, null, 0);
        return result < 0 ? -(int)Interop.LastErrno : result;
    }

    /// <summary>io_uring_enter with <c>IORING_ENTER_EXT_ARG</c> and a relative timeout; ETIME when it elapses.</summary>
    internal int Enter(uint toSubmit, uint minComplete, EnterFlags flags, TimeSpan timeout)
    {
        var timespec = KernelTimespec.From(timeout);
        var arg = new GetEventsArg { Timespec = (ulong)&timespec };
        var result = Interop.IoUringEnter(Fd, toSubmit, minComplete, flags | EnterFlags.ExtArg, &arg, (nuint)sizeof(GetEventsArg));
        return result < 0 ? -(int)Interop.LastErrno : result;
    }

    /// <summary>io_uring_register. Returns the result, or the negated errno.</summary>
    internal int Register(RegisterOpcode opcode, void* arg, uint count)
    {
        var result = Interop.IoUringRegister(Fd, opcode, arg, count);
        return result < 0 ? -(int)Interop.LastErrno : result;
    }

    /// <summary>IORING_REGISTER_ENABLE_RINGS. Returns 0, or the negated errno.</summary>
    internal int EnableRings() => Register(RegisterOpcode.EnableRings, null, 0);

    /// <summary>Asks the kernel which opcodes it supports (<c>IORING_REGISTER_PROBE</c>, 5.6+).</summary>
    internal IReadOnlySet<RingOpcode> ProbeOpcodes()
    {
        const int OpCount = 256;
        var size = sizeof(ProbeHeader) + (OpCount * sizeof(ProbeOp));
        var buffer = stackalloc byte[size];
        new Span<byte>(buffer, size).Clear(); // the kernel refuses a probe buffer that is not all zero
        var result = Register(RegisterOpcode.RegisterProbe, buffer, OpCount);
        if (result < 0)
        {
            throw UringException.FromErrno("io_uring_register(IORING_REGISTER_PROBE)", (Errno)(-result));
        }

        var header = (ProbeHeader*)buffer;
        var ops = (ProbeOp*)(buffer + sizeof(ProbeHeader));
        var supported = new HashSet<RingOpcode>();
        for (var i = 0; i < header->OpsLength; i++)
        {
            if ((ops[i].Flags & ProbeOp.Supported) != 0)
            {
                supported.Add((RingOpcode)ops[i].Op);
            }
        }

        return supported;
    }

    public void Dispose()
    {
        _sqes.Dispose();
        _cqRing?.Dispose();
        _sqRing.Dispose();
        _fd.Dispose();
    }
}
