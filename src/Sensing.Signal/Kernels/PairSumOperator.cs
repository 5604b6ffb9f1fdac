using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Signal.Kernels;

/// <summary>
/// The decimation kernel: <c>destination[j] = source[2j] + source[2j+1]</c>. Applied log2(G) times it sums groups
/// of G consecutive samples, which is the only work the activity pipeline does per input sample.
/// </summary>
/// <remarks>
/// Each level adds exactly one pair, so the vector and scalar forms give bit-identical sums; the pipeline relies
/// on that for chunk invariance (a group split across two blocks is summed by the scalar form).
/// </remarks>
internal readonly struct PairSumOperator
{
    /// <summary>Lane indices of the even and of the odd elements of two registers' 32 (also used for int32 pairs).</summary>
    internal static readonly Vector512<int> EvenIndices = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    internal static readonly Vector512<int> OddIndices = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    public static bool Vector512Supported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static bool Vector256Supported => Avx2.IsSupported;

    public static bool Vector128Supported => Sse.IsSupported;

    /// <summary>The scalar reference.</summary>
    public static float Invoke(float a, float b) => a + b;

    /// <summary>Pair sums of 32 consecutive samples held in <paramref name="lower"/> (0..15) and <paramref name="upper"/> (16..31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> lower, Vector512<float> upper)
        => Avx512F.PermuteVar16x32x2(lower, EvenIndices, upper) + Avx512F.PermuteVar16x32x2(lower, OddIndices, upper);

    /// <summary>Pair sums of 16 consecutive samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> lower, Vector256<float> upper)
    {
        // shufps works within 128-bit lanes, which leaves the pairs as [0 1 4 5 | 2 3 6 7]; one 64-bit permute restores order.
        var sums = Avx.Shuffle(lower, upper, 0b10_00_10_00) + Avx.Shuffle(lower, upper, 0b11_01_11_01);
        return Avx2.Permute4x64(sums.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>Pair sums of 8 consecutive samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> lower, Vector128<float> upper)
        => Sse.Shuffle(lower, upper, 0b10_00_10_00) + Sse.Shuffle(lower, upper, 0b11_01_11_01);
}
