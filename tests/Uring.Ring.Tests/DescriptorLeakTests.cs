using Uring.Tests.Infrastructure;

namespace Uring.Tests;

[Collection(SerialCollection.Name)]
public class DescriptorLeakTests
{
    [RingFact]
    public void Creating_and_disposing_many_rings_leaks_no_file_descriptors()
    {
        var before = Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < 200; i++)
        {
            using var ring = new Ring();
            ring.SubmitNop();
            ring.Next();
        }

        var after = Directory.GetFiles("/proc/self/fd").Length;
        Assert.Equal(before, after);
    }
}
