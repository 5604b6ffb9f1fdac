using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Activity.Features;

/// <summary>
/// A bitonic sorting network over 128 floats held in eight Vector512 registers: the quantiles of a window of up to
/// 128 values by sorting it outright. In profiles of <c>sensing bench</c> it takes about two fifths of the time
/// quickselect took to find the five ranks of the same windows.
/// </summary>
/// <remarks>
/// <para>Each merge of blocks of size s first compares element i with i XOR (s-1) (the block's mirror), then with
/// i XOR d for d = s/4 .. 1, the lower index keeping the minimum: every comparison ascending, no direction to track.
/// A partner within the same register is a lane permute; across registers, a register pair (with the lanes mirrored
/// in the first step).</para>
/// <para>A sort is a permutation, so the value at each rank is the one selection finds, bit for bit (the one tie whose
/// bits could differ, -0 against +0, a magnitude never has). The network runs
/// only on finite values (min and max of NaN are not an order); padding is +infinity, which sorts after them.</para>
/// </remarks>
internal static class SortingNetwork
{
    private const int Size = 128;
    private const int Lanes = 16;
    private static readonly Vector512<int>[] LaneXor = Enumerable.Range(0, Lanes)
        .Select(m => Vector512.Create(Enumerable.Range(0, Lanes).Select(l => l ^ m).ToArray())).ToArray();

    // For a partner distance's top bit b < 16: all ones in the lanes whose bit b is clear (they keep the minimum).
    private static readonly Vector512<float>[] LowerLanes = Enumerable.Range(0, 4)
        .Select(bit => Vector512.Create(Enumerable.Range(0, Lanes).Select(l => (l & (1 << bit)) == 0 ? -1 : 0).ToArray()).AsSingle()).ToArray();

    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// The quantiles <paramref name="levels"/> of <paramref name="values"/> (as <see cref="Quantiles.Select"/> defines
    /// them) when the network can sort them: at most 128 finite values, on a machine with AVX-512. Returns false, and
    /// writes nothing, otherwise.
    /// </summary>
    public static bool TrySelect(ReadOnlySpan<float> values, ReadOnlySpan<float> levels, Span<float> result)
    {
        var n = values.Length;
        if (!IsSupported || n > Size)
        {
            return false;
        }

        var registers = default(Registers);
        var sorted = MemoryMarshal.Cast<Vector512<float>, float>((Span<Vector512<float>>)registers);
        for (var i = 0; i < n; i++)
        {
            var v = values[i];
            if (!float.IsFinite(v))
            {
                return false;
            }

            sorted[i] = v;
        }

        sorted[n..].Fill(float.PositiveInfinity);
        Sort(ref registers);
        for (var q = 0; q < levels.Length; q++)
        {
            result[q] = sorted[(int)Math.Floor(levels[q] * (n - 1))];
        }

        return true;
    }

    private static void Sort(ref Registers v)
    {
        for (var size = 2; size <= Size; size *= 2)
        {
            Exchange(ref v, size - 1);
            for (var d = size / 4; d >= 1; d /= 2)
            {
                Exchange(ref v, d);
            }
        }
    }

    // Compare-exchange of every element i with i XOR m, the lower index keeping the minimum.
    private static void Exchange(ref Registers v, int m)
    {
        var top = BitOperations.Log2((uint)m);
        var lanes = LaneXor[m & (Lanes - 1)];
        if (m < Lanes)
        {
            var lower = LowerLanes[top];
            for (var r = 0; r < Registers.Count; r++)
            {
                var x = v[r];
                var partner = Avx512F.PermuteVar16x32(x, lanes);
                v[r] = Vector512.ConditionalSelect(lower, Avx512F.Min(x, partner), Avx512F.Max(x, partner));
            }

            return;
        }

        var registerXor = m >> 4;
        var registerTop = 1 << (top - 4);
        var mirrored = (m & (Lanes - 1)) != 0;
        for (var a = 0; a < Registers.Count; a++)
        {
            if ((a & registerTop) != 0)
            {
                continue;
            }

            var b = a ^ registerXor;
            var partner = mirrored ? Avx512F.PermuteVar16x32(v[b], lanes) : v[b];
            var high = Avx512F.Max(v[a], partner);
            v[a] = Avx512F.Min(v[a], partner);
            v[b] = mirrored ? Avx512F.PermuteVar16x32(high, lanes) : high;
        }
    }

    [InlineArray(Count)]
    private struct Registers
    {
        public const int Count = Size / Lanes;
        private Vector512<float> _element;
    }
}
