using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

        // Each float vector from two double vectors (Vector<T>: the few dozen lags of a verdict gain nothing wider).
        if (Vector.IsHardwareAccelerated && (int)KernelDriver.MaxWidth >= Vector<float>.Count * 32)
        {
            var (e, half, epsilon) = (new Vector<double>(energy), (nuint)Vector<double>.Count, new Vector<float>(float.Epsilon));
            for (; (int)i <= n - Vector<float>.Count; i += (nuint)Vector<float>.Count)
            {
                var p = Vector.Narrow(Vector.LoadUnsafe(ref pr, i), Vector.LoadUnsafe(ref pr, i + half));
                var low = e * (Vector.LoadUnsafe(ref er, i) - Vector.LoadUnsafe(ref sr, i));
                var high = e * (Vector.LoadUnsafe(ref er, i + half) - Vector.LoadUnsafe(ref sr, i + half));
                (p / Vector.SquareRoot(Vector.Narrow(low, high) + epsilon)).StoreUnsafe(ref dr, i);
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
