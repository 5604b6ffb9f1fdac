using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Pipeline.Benchmarking;

/// <summary>A plain vectorised read of a buffer (a wrapping sum, so the JIT cannot skip the loads): the speed limit.</summary>
public static class MemoryRead
{
    public static long Sum(ReadOnlySpan<short> values)
    {
        ref var r = ref MemoryMarshal.GetReference(values);
        var acc = Vector512<short>.Zero;
        var i = 0;
        for (; i + 32 <= values.Length; i += 32)
        {
            acc += Vector512.LoadUnsafe(ref r, (nuint)i);
        }

        long sum = Vector512.Sum(acc);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}
