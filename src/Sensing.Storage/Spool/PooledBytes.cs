using System.Buffers;

namespace Sensing.Storage.Spool;

/// <summary>A rented array returned to the pool on dispose (the payload buffer of one batch).</summary>
internal sealed class PooledBytes : IDisposable
{
    private byte[]? _array;

    public PooledBytes(int size) => _array = ArrayPool<byte>.Shared.Rent(size);

    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBytes));

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
