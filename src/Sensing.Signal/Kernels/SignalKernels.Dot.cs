using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    // Dot products accumulate in 16 lanes (element i goes to lane i % 16) and reduce the lanes in one fixed tree.
    // Every width (one Vector512, two Vector256, four Vector128) and the scalar reference perform exactly these
    // additions, so a decision taken on a correlation is the same whichever path the CPU takes.
    private const int DotLanes = 16;

    /// <summary>Sum of <c>x[i] * y[i]</c>, with a summation order fixed across vector widths (see remarks in source).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Input lengths differ: {x.Length} and {y.Length}.");
        }

        var blocks = x.Length / DotLanes;
        if (blocks == 0 || KernelDriver.MaxWidth < KernelWidth.V128 || !Vector128.IsHardwareAccelerated)
        {
            return DotScalar(x, y);
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        Span<float> lanes = stackalloc float[DotLanes];
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (nuint i = 0; i < (nuint)(blocks * DotLanes); i += DotLanes)
            {
                acc += Vector512.LoadUnsafe(ref xr, i) * Vector512.LoadUnsafe(ref yr, i);
            }

            acc.CopyTo(lanes);
        }
        else if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default;
            for (nuint i = 0; i < (nuint)(blocks * DotLanes); i += DotLanes)
            {
                a0 += Vector256.LoadUnsafe(ref xr, i) * Vector256.LoadUnsafe(ref yr, i);
                a1 += Vector256.LoadUnsafe(ref xr, i + 8) * Vector256.LoadUnsafe(ref yr, i + 8);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[8..]);
        }
        else
        {
            Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint i = 0; i < (nuint)(blocks * DotLanes); i += DotLanes)
            {
                a0 += Vector128.LoadUnsafe(ref xr, i) * Vector128.LoadUnsafe(ref yr, i);
                a1 += Vector128.LoadUnsafe(ref xr, i + 4) * Vector128.LoadUnsafe(ref yr, i + 4);
                a2 += Vector128.LoadUnsafe(ref xr, i + 8) * Vector128.LoadUnsafe(ref yr, i + 8);
                a3 += Vector128.LoadUnsafe(ref xr, i + 12) * Vector128.LoadUnsafe(ref yr, i + 12);
            }

            a0.CopyTo(lanes);
            a1.CopyTo(lanes[4..]);
            a2.CopyTo(lanes[8..]);
            a3.CopyTo(lanes[12..]);
        }

        return ReduceLanes(lanes) + DotTail(x, y, blocks * DotLanes);
    }

    /// <summary>The scalar reference of <see cref="Dot"/>: the same 16-lane accumulation, one element at a time.</summary>
    public static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var blocks = x.Length / DotLanes;
        if (blocks == 0)
        {
            return DotTail(x, y, 0);
        }

        Span<float> lanes = stackalloc float[DotLanes];
        lanes.Clear();
        for (var b = 0; b < blocks; b++)
        {
            for (var k = 0; k < DotLanes; k++)
            {
                var i = (b * DotLanes) + k;
                lanes[k] += x[i] * y[i];
            }
        }

        return ReduceLanes(lanes) + DotTail(x, y, blocks * DotLanes);
    }

    private static float ReduceLanes(Span<float> lanes)
    {
        for (var width = DotLanes / 2; width >= 1; width /= 2)
        {
            for (var k = 0; k < width; k++)
            {
                lanes[k] += lanes[k + width];
            }
        }

        return lanes[0];
    }

    private static float DotTail(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int start)
    {
        var sum = 0f;
        for (var i = start; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
