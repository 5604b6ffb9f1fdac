using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Activity.Features;

/// <summary>
/// The FFT's bit-reversal permutation (<c>to[j] = from[reverse[j]]</c>) of 32 to 256 floats as AVX-512 two-register
/// permutes, in place of one scalar load and store per element.
/// </summary>
/// <remarks>
/// <para>The input is R = size / 16 registers. Element e starts in register <c>e / 16</c> and must end in register
/// <c>reverse[e] / 16</c>, lane <c>reverse[e] % 16</c>. The two register numbers come from disjoint bits of e (its
/// top and its bottom log2 R bits, as long as R is at most 16), so the elements can be routed like a transpose: stage s
/// exchanges elements between registers whose numbers differ in bit s only, sending each to the one whose bit s
/// matches its destination's. Every pair then holds 16 elements bound for each side, so each new register is one
/// <c>vpermt2ps</c> of the two old ones. The last stage also puts each element in its final lane.</para>
/// <para>The index vectors are found once per size by running that routing on the element numbers, so they hold by
/// construction; the transform's test compares the whole spectrum with the scalar permutation, bit for bit.</para>
/// </remarks>
internal sealed class BitReversalNetwork
{
    private const int Lanes = 16;
    private readonly int _registers;
    private readonly int _stages;
    private readonly int[] _indices; // [stage][register][lane]: operand lane, 0-15 from the pair's lower register, 16-31 from its upper

    private BitReversalNetwork(int[] reverse)
    {
        _registers = reverse.Length / Lanes;
        _stages = System.Numerics.BitOperations.Log2((uint)_registers);
        _indices = new int[_stages * reverse.Length];
        var held = new int[reverse.Length];
        for (var e = 0; e < held.Length; e++)
        {
            held[e] = e;
        }

        for (var stage = 0; stage < _stages; stage++)
        {
            var bit = 1 << stage;
            var last = stage == _stages - 1;
            var next = new int[held.Length];
            for (var lower = 0; lower < _registers; lower++)
            {
                if ((lower & bit) != 0)
                {
                    continue;
                }

                var upper = lower | bit;
                var filled = (Lower: 0, Upper: 0);
                for (var operand = 0; operand < 2 * Lanes; operand++)
                {
                    var element = held[((operand < Lanes ? lower : upper) * Lanes) + (operand % Lanes)];
                    var destination = reverse[element] / Lanes;
                    var to = (destination & bit) == 0 ? lower : upper;
                    var lane = last ? reverse[element] % Lanes : to == lower ? filled.Lower++ : filled.Upper++;
                    next[(to * Lanes) + lane] = element;
                    _indices[(((stage * _registers) + to) * Lanes) + lane] = operand;
                }
            }

            held = next;
        }
    }

    /// <summary>The network for a permutation of this size, or null where it does not apply (no AVX-512, or a size outside 32-256).</summary>
    public static BitReversalNetwork? For(int[] reverse)
        => Avx512F.IsSupported && reverse.Length is >= 2 * Lanes and <= Lanes * Lanes ? new BitReversalNetwork(reverse) : null;

    /// <summary><c>to[j] = from[reverse[j]]</c> for the size the network was made for.</summary>
    public void Apply(ref float from, ref float to)
    {
        if (_registers == 8)
        {
            Apply8(ref from, ref to);
            return;
        }

        Span<Vector512<float>> registers = stackalloc Vector512<float>[_registers];
        for (var r = 0; r < _registers; r++)
        {
            registers[r] = Vector512.LoadUnsafe(ref from, (nuint)(r * Lanes));
        }

        ref var index = ref Unsafe.As<int, Vector512<int>>(ref MemoryMarshal.GetArrayDataReference(_indices));
        for (var stage = 0; stage < _stages; stage++)
        {
            var bit = 1 << stage;
            for (var lower = 0; lower < _registers; lower++)
            {
                if ((lower & bit) != 0)
                {
                    continue;
                }

                var upper = lower | bit;
                var (a, b) = (registers[lower], registers[upper]);
                registers[lower] = Avx512F.PermuteVar16x32x2(a, Unsafe.Add(ref index, (stage * _registers) + lower), b);
                registers[upper] = Avx512F.PermuteVar16x32x2(a, Unsafe.Add(ref index, (stage * _registers) + upper), b);
            }
        }

        for (var r = 0; r < _registers; r++)
        {
            registers[r].StoreUnsafe(ref to, (nuint)(r * Lanes));
        }
    }

    private void Apply8(ref float from, ref float to)
    {
        ref var index = ref Unsafe.As<int, Vector512<int>>(ref MemoryMarshal.GetArrayDataReference(_indices));
        var (r0, r1, r2, r3) = (Vector512.LoadUnsafe(ref from, 0), Vector512.LoadUnsafe(ref from, 16), Vector512.LoadUnsafe(ref from, 32), Vector512.LoadUnsafe(ref from, 48));
        var (r4, r5, r6, r7) = (Vector512.LoadUnsafe(ref from, 64), Vector512.LoadUnsafe(ref from, 80), Vector512.LoadUnsafe(ref from, 96), Vector512.LoadUnsafe(ref from, 112));
        for (var stage = 0; stage < 3; stage++)
        {
            ref var at = ref Unsafe.Add(ref index, stage * 8);
            var bit = 1 << stage;
            (r0, r1, r2, r3, r4, r5, r6, r7) = bit switch
            {
                1 => (P(r0, r1, ref at, 0), P(r0, r1, ref at, 1), P(r2, r3, ref at, 2), P(r2, r3, ref at, 3), P(r4, r5, ref at, 4), P(r4, r5, ref at, 5), P(r6, r7, ref at, 6), P(r6, r7, ref at, 7)),
                2 => (P(r0, r2, ref at, 0), P(r1, r3, ref at, 1), P(r0, r2, ref at, 2), P(r1, r3, ref at, 3), P(r4, r6, ref at, 4), P(r5, r7, ref at, 5), P(r4, r6, ref at, 6), P(r5, r7, ref at, 7)),
                _ => (P(r0, r4, ref at, 0), P(r1, r5, ref at, 1), P(r2, r6, ref at, 2), P(r3, r7, ref at, 3), P(r0, r4, ref at, 4), P(r1, r5, ref at, 5), P(r2, r6, ref at, 6), P(r3, r7, ref at, 7)),
            };
        }

        r0.StoreUnsafe(ref to, 0);
        r1.StoreUnsafe(ref to, 16);
        r2.StoreUnsafe(ref to, 32);
        r3.StoreUnsafe(ref to, 48);
        r4.StoreUnsafe(ref to, 64);
        r5.StoreUnsafe(ref to, 80);
        r6.StoreUnsafe(ref to, 96);
        r7.StoreUnsafe(ref to, 112);

        static Vector512<float> P(Vector512<float> lower, Vector512<float> upper, ref Vector512<int> at, int register)
            => Avx512F.PermuteVar16x32x2(lower, Unsafe.Add(ref at, register), upper);
    }
}
