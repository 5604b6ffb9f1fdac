using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

public static partial class SignalKernels
{
    /// <summary>
    /// <c>destination[n - 1 - i] = (float)products[i] / sqrt((float)(energy * (shiftedEnds[i] - shiftedStarts[i])) + ε)</c>:
    /// normalised correlations from their summed products, the energy of the window and the running energy sums at
    /// the ends and starts of the shifted windows (ε, the smallest float, keeps a silent shift from dividing by zero),
    /// written in the reverse order of the inputs: sums kept by maxLag - L come out by lag, with no pass to turn them.
    /// Every step is exactly rounded in every width (the narrowing too), so all give the scalar bits.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void CorrelationReversed(ReadOnlySpan<double> products, ReadOnlySpan<double> shiftedEnds, ReadOnlySpan<double> shiftedStarts, double energy, Span<float> destination)
    {
        CheckCorrelation(products, shiftedEnds, shiftedStarts, destination);
        var n = products.Length;
        ref var pr = ref MemoryMarshal.GetReference(products);
        ref var er = ref MemoryMarshal.GetReference(shiftedEnds);
        ref var sr = ref MemoryMarshal.GetReference(shiftedStarts);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;

        // Eight floats from four doubles twice, turned round by one permute (a verdict's few dozen lags gain nothing wider).
        if (KernelDriver.MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated)
        {
            var (e, epsilon, backwards) = (Vector256.Create(energy), Vector256.Create(float.Epsilon), Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0));
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (low, high) = ((nuint)i, (nuint)(i + Vector256<double>.Count));
                var p = Vector256.Narrow(Vector256.LoadUnsafe(ref pr, low), Vector256.LoadUnsafe(ref pr, high));
                var norm = Vector256.Narrow(
                    e * (Vector256.LoadUnsafe(ref er, low) - Vector256.LoadUnsafe(ref sr, low)),
                    e * (Vector256.LoadUnsafe(ref er, high) - Vector256.LoadUnsafe(ref sr, high)));
                Vector256.Shuffle(p / Vector256.Sqrt(norm + epsilon), backwards).StoreUnsafe(ref dr, (nuint)(n - i - Vector256<float>.Count));
            }
        }

        for (; i < n; i++)
        {
            var norm = (float)(energy * (Unsafe.Add(ref er, i) - Unsafe.Add(ref sr, i))) + float.Epsilon;
            Unsafe.Add(ref dr, n - 1 - i) = (float)Unsafe.Add(ref pr, i) / MathF.Sqrt(norm);
        }
    }

    /// <summary>The scalar reference of <see cref="CorrelationReversed"/>.</summary>
    public static void CorrelationReversedScalar(ReadOnlySpan<double> products, ReadOnlySpan<double> shiftedEnds, ReadOnlySpan<double> shiftedStarts, double energy, Span<float> destination)
    {
        CheckCorrelation(products, shiftedEnds, shiftedStarts, destination);
        var n = products.Length;
        for (var i = 0; i < n; i++)
        {
            var norm = (float)(energy * (shiftedEnds[i] - shiftedStarts[i])) + float.Epsilon;
            destination[n - 1 - i] = (float)products[i] / MathF.Sqrt(norm);
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
