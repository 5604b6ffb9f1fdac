using Sensing.Storage.Spool;

namespace Sensing.Storage.Tests.Spool;

public sealed class MemorySpoolTests : SpoolSuite
{
    protected override ISpool Create(long maxBytes = 64 << 20) => new MemorySpool(maxBytes);
}
