using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>destination[i] = (float)products[i] / sqrt((float)(energy * (shiftedEnds[i] - shiftedStarts[i])) + ε)</c>:
    /// normalised correlations from their summed products, the energy of the window and the running energy sums at
    /// the ends and starts of the shifted windows (ε, the smallest float, keeps a silent shift from dividing by zero).
    /// Every step is exactly rounded in every width (the narrowing too), so all give the scalar bits.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Correlation(ReadOnlySpan<double> products, ReadOnlySpan<double> shiftedEnds, ReadOnlySpan<double> shiftedStarts, double energy, Span<float> destination)
    {
        CheckCorrelation(products, shiftedEnds, shiftedStarts, destination);
        var n = products.Length;
        ref var pr = ref MemoryMarshal.GetReference(products);
        ref var er = ref MemoryMarshal.GetReference(shiftedEnds);
        ref var sr = ref MemoryMarshal.GetReference(shiftedStarts);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;

        // Each float vector from two double vectors of the same width.
        if (KernelDriver.MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated)
        {
            var (e, half) = (Vector512.Create(energy), (nuint)Vector512<double>.Count);
            for (; (int)i <= n - Vector512<float>.Count; i += (nuint)Vector512<float>.Count)
            {
                var p = Vector512.Narrow(Vector512.LoadUnsafe(ref pr, i), Vector512.LoadUnsafe(ref pr, i + half));
                var low = e * (Vector512.LoadUnsafe(ref er, i) - Vector512.LoadUnsafe(ref sr, i));
                var high = e * (Vector512.LoadUnsafe(ref er, i + half) - Vector512.LoadUnsafe(ref sr, i + half));
                (p / Vector512.Sqrt(Vector512.Narrow(low, high) + Vector512.Create(float.Epsilon))).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var (e, half) = (Vector256.Create(energy), (nuint)Vector256<double>.Count);
            for (; (int)i <= n - Vector256<float>.Count; i += (nuint)Vector256<float>.Count)
            {
                var p = Vector256.Narrow(Vector256.LoadUnsafe(ref pr, i), Vector256.LoadUnsafe(ref pr, i + half));
                var low = e * (Vector256.LoadUnsafe(ref er, i) - Vector256.LoadUnsafe(ref sr, i));
                var high = e * (Vector256.LoadUnsafe(ref er, i + half) - Vector256.LoadUnsafe(ref sr, i + half));
                (p / Vector256.Sqrt(Vector256.Narrow(low, high) + Vector256.Create(float.Epsilon))).StoreUnsafe(ref dr, i);
            }
        }

        if (KernelDriver.MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated)
        {
            var (e, half) = (Vector128.Create(energy), (nuint)Vector128<double>.Count);
            for (; (int)i <= n - Vector128<float>.Count; i += (nuint)Vector128<float>.Count)
            {
                var p = Vector128.Narrow(Vector128.LoadUnsafe(ref pr, i), Vector128.LoadUnsafe(ref pr, i + half));
                var low = e * (Vector128.LoadUnsafe(ref er, i) - Vector128.LoadUnsafe(ref sr, i));
                var high = e * (Vector128.LoadUnsafe(ref er, i + half) - Vector128.LoadUnsafe(ref sr, i + half));
                (p / Vector128.Sqrt(Vector128.Narrow(low, high) + Vector128.Create(float.Epsilon))).StoreUnsafe(ref dr, i);
            }
        }

        for (; (int)i < n; i++)
        {
            var norm = (float)(energy * (Unsafe.Add(ref er, i) - Unsafe.Add(ref sr, i))) + float.Epsilon;
            Unsafe.Add(ref dr, i) = (float)Unsafe.Add(ref pr, i) / MathF.Sqrt(norm);
        }
    }

    /// <summary>The scalar reference of <see cref="Correlation"/>.</summary>
    public static void CorrelationScalar(ReadOnlySpan<double> products, ReadOnlySpan<double> shiftedEnds, ReadOnlySpan<double> shiftedStarts, double energy, Span<float> destination)
    {
        CheckCorrelation(products, shiftedEnds, shiftedStarts, destination);
        for (var i = 0; i < products.Length; i++)
        {
            var norm = (float)(energy * (shiftedEnds[i] - shiftedStarts[i])) + float.Epsilon;
            destination[i] = (float)products[i] / MathF.Sqrt(norm);
        }
    }

    private static void CheckCorrelation(ReadOnlySpan<double> products, ReadOnlySpan<double> shiftedEnds, ReadOnlySpan<double> shiftedStarts, Span<float> destination)
    {
        var n = products.Length;
        if (shiftedEnds.Length != n || shiftedStarts.Length != n || destination.Length != n)
        {
            throw new ArgumentException($"Input lengths differ: {n}, {shiftedEnds.Length}, {shiftedStarts.Length} and {destination.Length}.");
        }
    }
}
