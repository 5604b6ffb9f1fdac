using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sensing.Activity.Features;

/// <summary>
/// The FFT's bit-reversal permutation (<c>to[j] = from[reverse[j]]</c>) of 128 floats as AVX-512 two-register
/// permutes, in place of one scalar load and store per element.
/// </summary>
/// <remarks>
/// <para>The input is eight registers of sixteen. Element e starts in register <c>e / 16</c> and must end in register
/// <c>reverse[e] / 16</c>, lane <c>reverse[e] % 16</c>. The two register numbers come from disjoint bits of e (its
/// top three bits and its bottom three), so the elements can be routed like a transpose: stage s
/// exchanges elements between registers whose numbers differ in bit s only, sending each to the one whose bit s
/// matches its destination's. Every pair then holds 16 elements bound for each side, so each new register is one
/// <c>vpermt2ps</c> of the two old ones. The last stage also puts each element in its final lane.</para>
/// <para>The index vectors are found once by running that routing on the element numbers, so they hold by
/// construction; the transform's test compares the whole spectrum with the scalar permutation, bit for bit.</para>
/// </remarks>
internal sealed class BitReversalNetwork
{
    private const int Lanes = 16;
    private const int Registers = 8;
    private const int Stages = 3;
    private readonly int[] _indices; // [stage][register][lane]: operand lane, 0-15 from the pair's lower register, 16-31 from its upper

    private BitReversalNetwork(int[] reverse)
    {
        _indices = new int[Stages * reverse.Length];
        var held = new int[reverse.Length];
        for (var e = 0; e < held.Length; e++)
        {
            held[e] = e;
        }

        for (var stage = 0; stage < Stages; stage++)
        {
            var bit = 1 << stage;
            var last = stage == Stages - 1;
            var next = new int[held.Length];
            for (var lower = 0; lower < Registers; lower++)
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
                    _indices[(((stage * Registers) + to) * Lanes) + lane] = operand;
                }
            }

            held = next;
        }
    }

    /// <summary>
    /// The network for a permutation of 128 points (the size of a 10 s window's transform), or null for another size
    /// or without AVX-512: those take the scalar permutation.
    /// </summary>
    /// <remarks>
    /// One size only, its eight registers held as locals through the three stages. A form for any size, looping over
    /// registers kept in a stack array (so in memory between stages), measured no faster than the scalar permutation at
    /// 128 points: the pair of spectra took 270 ns with it, 230-240 ns in the runs before.
    /// </remarks>
    public static BitReversalNetwork? For(int[] reverse)
        => Avx512F.IsSupported && reverse.Length == Registers * Lanes ? new BitReversalNetwork(reverse) : null;

    /// <summary><c>to[j] = from[reverse[j]]</c>.</summary>
    public void Apply(ref float from, ref float to)
    {
        ref var index = ref Unsafe.As<int, Vector512<int>>(ref MemoryMarshal.GetArrayDataReference(_indices));
        var (r0, r1, r2, r3) = (Vector512.LoadUnsafe(ref from, 0), Vector512.LoadUnsafe(ref from, 16), Vector512.LoadUnsafe(ref from, 32), Vector512.LoadUnsafe(ref from, 48));
        var (r4, r5, r6, r7) = (Vector512.LoadUnsafe(ref from, 64), Vector512.LoadUnsafe(ref from, 80), Vector512.LoadUnsafe(ref from, 96), Vector512.LoadUnsafe(ref from, 112));
        // Stage s pairs the registers whose numbers differ in bit s.
        ref var at = ref index;
        (r0, r1, r2, r3, r4, r5, r6, r7) = (P(r0, r1, ref at, 0), P(r0, r1, ref at, 1), P(r2, r3, ref at, 2), P(r2, r3, ref at, 3), P(r4, r5, ref at, 4), P(r4, r5, ref at, 5), P(r6, r7, ref at, 6), P(r6, r7, ref at, 7));
        at = ref Unsafe.Add(ref index, Registers);
        (r0, r1, r2, r3, r4, r5, r6, r7) = (P(r0, r2, ref at, 0), P(r1, r3, ref at, 1), P(r0, r2, ref at, 2), P(r1, r3, ref at, 3), P(r4, r6, ref at, 4), P(r5, r7, ref at, 5), P(r4, r6, ref at, 6), P(r5, r7, ref at, 7));
        at = ref Unsafe.Add(ref index, 2 * Registers);
        (r0, r1, r2, r3, r4, r5, r6, r7) = (P(r0, r4, ref at, 0), P(r1, r5, ref at, 1), P(r2, r6, ref at, 2), P(r3, r7, ref at, 3), P(r0, r4, ref at, 4), P(r1, r5, ref at, 5), P(r2, r6, ref at, 6), P(r3, r7, ref at, 7));

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
