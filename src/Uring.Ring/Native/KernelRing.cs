namespace Uring.Native;

/// <summary>
/// One io_uring instance as the kernel hands it out: the ring fd, the mapped SQ/CQ rings and SQE
/// array, and the raw enter/register calls. Knows nothing of threads or operations; callers
/// (<see cref="RawRing"/>) decide who may touch which side.
/// </summary>
internal sealed unsafe partial class KernelRing : IDisposable
{
    private readonly FileDescriptorHandle _fd;

    /// <summary>Mappings replaced by <see cref="Resize"/>, unmapped only at <see cref="Dispose"/> (see there).</summary>
    private readonly List<MappedRegion> _retired = [];

    private MappedRegion _sqRing;
    private MappedRegion? _cqRing;
    private MappedRegion _sqes;
    private SubmissionQueue _sq;
    private CompletionQueue _cq;

    private KernelRing(FileDescriptorHandle fd, in IoUringParams parameters, RingSetupFlags flags)
    {
        _fd = fd;
        Flags = flags;
        Features = (RingFeatures)parameters.Features;
        (_sqRing, _cqRing, _sqes) = MapQueues(fd.Fd, parameters, Features);
        _sq = new SubmissionQueue(_sqRing.Address, parameters.SqOffsets, (SubmissionQueueEntry*)_sqes.Address, (flags & RingSetupFlags.NoSqArray) == 0);
        _cq = new CompletionQueue((_cqRing ?? _sqRing).Address, parameters.CqOffsets);
        _sqArrayOffsetKnown = SqArrayOffset(parameters) == parameters.SqOffsets.Array;
    }

    /// <summary>The submission queue; a new instance after <see cref="Resize"/>.</summary>
    internal SubmissionQueue Sq => Volatile.Read(ref _sq);

    /// <summary>The completion queue; a new instance after <see cref="Resize"/>.</summary>
    internal CompletionQueue Cq => Volatile.Read(ref _cq);

    internal RingSetupFlags Flags { get; }

    internal RingFeatures Features { get; }

    internal int Fd => _fd.Fd;

    /// <summary>
    /// Calls io_uring_setup and maps the rings. Throws <see cref="UringUnavailableException"/> when
    /// io_uring is absent or forbidden, <see cref="UringException"/> for other refusals.
    /// </summary>
    internal static KernelRing Setup(uint entries, uint completionEntries, RingSetupFlags flags, TimeSpan? sqPollIdle = null, int? sqPollCpu = null)
    {
        var parameters = default(IoUringParams);
        parameters.Flags = (uint)flags;
        if (sqPollIdle is { } idle)
        {
            parameters.SqThreadIdle = (uint)idle.TotalMilliseconds;
        }

        if (sqPollCpu is { } cpu)
        {
            parameters.Flags |= (uint)RingSetupFlags.SqAffinity;
            parameters.SqThreadCpu = (uint)cpu;
        }
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
        _retired.ForEach(region => region.Dispose());
        _fd.Dispose();
    }

    /// <summary>
    /// Maps the SQ and CQ rings and the SQE array that <paramref name="parameters"/> describe (as
    /// io_uring_setup or IORING_REGISTER_RESIZE_RINGS filled them in). On failure nothing stays mapped.
    /// </summary>
    private static (MappedRegion SqRing, MappedRegion? CqRing, MappedRegion Sqes) MapQueues(int fd, in IoUringParams parameters, RingFeatures features)
    {
        MappedRegion? sqRing = null;
        MappedRegion? cqRing = null;
        try
        {
            var sqRingSize = parameters.SqOffsets.Array + (parameters.SqEntries * sizeof(uint));
            var cqRingSize = parameters.CqOffsets.Cqes + (parameters.CqEntries * (uint)sizeof(CompletionQueueEntry));
            if ((features & RingFeatures.SingleMmap) != 0)
            {
                // One mapping covers both rings (5.4+): map the larger of the two sizes once.
                sqRing = MappedRegion.Map(fd, Math.Max(sqRingSize, cqRingSize), KernelConstants.OffSqRing);
            }
            else
            {
                sqRing = MappedRegion.Map(fd, sqRingSize, KernelConstants.OffSqRing);
                cqRing = MappedRegion.Map(fd, cqRingSize, KernelConstants.OffCqRing);
            }

            var sqes = MappedRegion.Map(fd, parameters.SqEntries * (nuint)sizeof(SubmissionQueueEntry), KernelConstants.OffSqes);
            return (sqRing, cqRing, sqes);
        }
        catch
        {
            sqRing?.Dispose();
            cqRing?.Dispose();
            throw;
        }
    }
}
