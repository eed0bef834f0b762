using Uring.Native;
using Uring.Tests.Infrastructure;

namespace Uring.Tests;

/// <summary>
/// Closing a ring-opened file through the ring. Serial: the test checks that the fd number is no
/// longer open, which another test opening a file in parallel could make untrue.
/// </summary>
[Collection(SerialCollection.Name)]
public class FileCloseTests
{
    [RingFact(RequiresOpcode = RingOpcode.Close)]
    public void A_file_opened_on_the_ring_closes_with_submit_close_once_its_handle_lets_go()
    {
        using var directory = new TempDirectory();
        using var ring = new Ring();
        var file = ring.Open(directory.File("closed"));
        var fd = (int)file.DangerousGetHandle();
        var path = Descriptors.Target(fd);
        Assert.Equal(directory.File("closed"), path);
        file.SetHandleAsInvalid(); // the handle no longer owns the number: the ring's close does

        var closed = ring.Run(r => r.SubmitClose(fd, "close"));

        Assert.Equal(("close", CompletionKind.Close, 0), (closed.UserData, closed.Kind, closed.Res));
        Assert.NotEqual(path, Descriptors.Target(fd)); // closed (the number may already name another test's descriptor)
        Assert.Equal(Errno.EBADF, ring.Run(r => r.SubmitRead(fd, new byte[1], 0)).Error);
        Assert.Equal(new RingDiagnostics(0, 0, 0, 0), ring.Diagnostics);
    }
}
