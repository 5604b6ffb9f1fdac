using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features.Common;

/// <summary>
/// The one place where reductions are looped, dispatched by vector width, and their tails handled.
/// </summary>
/// <remarks>
/// Tail policy (written once, here): spans shorter than one vector take the scalar path; otherwise the last
/// full vector is re-read so it ends at the span's end, and the lanes already counted are replaced by the
/// identity with a remainder mask. The float summation order differs from the scalar reference (lanes are
/// summed separately), so results agree to rounding, not bit for bit.
/// </remarks>
internal static class AggregationDriver
{
    public static float Aggregate<TOp>(ReadOnlySpan<float> x, TOp op)
        where TOp : struct, IAggregationOperator
    {
        ref var start = ref MemoryMarshal.GetReference(x);
        var n = x.Length;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512.Create(op.Identity);
            var i = 0;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                acc = op.Combine(acc, op.Transform(Vector512.LoadUnsafe(ref start, (nuint)i)));
            }

            return Finish512(ref start, n, i, acc, op);
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256.Create(op.Identity);
            var i = 0;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc = op.Combine(acc, op.Transform(Vector256.LoadUnsafe(ref start, (nuint)i)));
            }

            if (i < n)
            {
                var lastStart = n - Vector256<float>.Count;
                var last = op.Transform(Vector256.LoadUnsafe(ref start, (nuint)lastStart));
                var fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(i - lastStart)).AsSingle();
                acc = op.Combine(acc, Vector256.ConditionalSelect(fresh, last, Vector256.Create(op.Identity)));
            }

            return Reduce(op, acc);
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var acc = Vector128.Create(op.Identity);
            var i = 0;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                acc = op.Combine(acc, op.Transform(Vector128.LoadUnsafe(ref start, (nuint)i)));
            }

            if (i < n)
            {
                var lastStart = n - Vector128<float>.Count;
                var last = op.Transform(Vector128.LoadUnsafe(ref start, (nuint)lastStart));
                var fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(i - lastStart)).AsSingle();
                acc = op.Combine(acc, Vector128.ConditionalSelect(fresh, last, Vector128.Create(op.Identity)));
            }

            return Reduce(op, acc);
        }

        return AggregateScalar(x, op);
    }

    /// <summary>
    /// Three reductions of three spans of one length in one pass (the x, y and z of a window, or one span under three
    /// operators): bit for bit the three <see cref="Aggregate{TOp}(ReadOnlySpan{float}, TOp)"/> calls, each
    /// accumulator combining the same vectors in the same order, as three chains that overlap their latency.
    /// </summary>
    public static (float A, float B, float C) Aggregate<TA, TB, TC>(ReadOnlySpan<float> a, TA opA, ReadOnlySpan<float> b, TB opB, ReadOnlySpan<float> c, TC opC)
        where TA : struct, IAggregationOperator
        where TB : struct, IAggregationOperator
        where TC : struct, IAggregationOperator
    {
        var n = a.Length;
        if (b.Length != n || c.Length != n)
        {
            ThrowLengthMismatch();
        }

        if (!Vector512.IsHardwareAccelerated || n < Vector512<float>.Count)
        {
            return (Aggregate(a, opA), Aggregate(b, opB), Aggregate(c, opC));
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rc = ref MemoryMarshal.GetReference(c);
        var (accA, accB, accC) = (Vector512.Create(opA.Identity), Vector512.Create(opB.Identity), Vector512.Create(opC.Identity));
        var i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            accA = opA.Combine(accA, opA.Transform(Vector512.LoadUnsafe(ref ra, (nuint)i)));
            accB = opB.Combine(accB, opB.Transform(Vector512.LoadUnsafe(ref rb, (nuint)i)));
            accC = opC.Combine(accC, opC.Transform(Vector512.LoadUnsafe(ref rc, (nuint)i)));
        }

        return (Finish512(ref ra, n, i, accA, opA), Finish512(ref rb, n, i, accB, opB), Finish512(ref rc, n, i, accC, opC));
    }

    /// <summary>
    /// Three operators over each of three spans of one length, in one pass (the sums, minima and maxima of a window's
    /// x, y and z): bit for bit the three calls of the three-span <see cref="Aggregate{TA, TB, TC}(ReadOnlySpan{float}, TA, ReadOnlySpan{float}, TB, ReadOnlySpan{float}, TC)"/>,
    /// each of the nine accumulators combining the same vectors in the same order.
    /// </summary>
    public static ((float X, float Y, float Z) A, (float X, float Y, float Z) B, (float X, float Y, float Z) C) Aggregate<TA, TB, TC>(
        ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, TA a, TB b, TC c)
        where TA : struct, IAggregationOperator
        where TB : struct, IAggregationOperator
        where TC : struct, IAggregationOperator
    {
        var n = x.Length;
        if (y.Length != n || z.Length != n)
        {
            ThrowLengthMismatch();
        }

        if (!Vector512.IsHardwareAccelerated || n < Vector512<float>.Count)
        {
            return (Aggregate(x, a, y, a, z, a), Aggregate(x, b, y, b, z, b), Aggregate(x, c, y, c, z, c));
        }

        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        ref var rz = ref MemoryMarshal.GetReference(z);
        var (ax, ay, az) = (Vector512.Create(a.Identity), Vector512.Create(a.Identity), Vector512.Create(a.Identity));
        var (bx, by, bz) = (Vector512.Create(b.Identity), Vector512.Create(b.Identity), Vector512.Create(b.Identity));
        var (cx, cy, cz) = (Vector512.Create(c.Identity), Vector512.Create(c.Identity), Vector512.Create(c.Identity));
        var i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var (vx, vy, vz) = (Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref ry, (nuint)i), Vector512.LoadUnsafe(ref rz, (nuint)i));
            (ax, ay, az) = (a.Combine(ax, a.Transform(vx)), a.Combine(ay, a.Transform(vy)), a.Combine(az, a.Transform(vz)));
            (bx, by, bz) = (b.Combine(bx, b.Transform(vx)), b.Combine(by, b.Transform(vy)), b.Combine(bz, b.Transform(vz)));
            (cx, cy, cz) = (c.Combine(cx, c.Transform(vx)), c.Combine(cy, c.Transform(vy)), c.Combine(cz, c.Transform(vz)));
        }

        return ((Finish512(ref rx, n, i, ax, a), Finish512(ref ry, n, i, ay, a), Finish512(ref rz, n, i, az, a)),
            (Finish512(ref rx, n, i, bx, b), Finish512(ref ry, n, i, by, b), Finish512(ref rz, n, i, bz, b)),
            (Finish512(ref rx, n, i, cx, c), Finish512(ref ry, n, i, cy, c), Finish512(ref rz, n, i, cz, c)));
    }

    /// <summary>
    /// A reduction of each of three spans of one length and a binary one of each pair of them (x with y, x with z, y
    /// with z), in one pass: the sums of squared deviations and of centred products of a window's axes. Bit for bit
    /// the six separate calls.
    /// </summary>
    public static ((float X, float Y, float Z) Own, (float XY, float XZ, float YZ) Pairs) Aggregate<TU, TB>(
        ReadOnlySpan<float> x, TU ux, ReadOnlySpan<float> y, TU uy, ReadOnlySpan<float> z, TU uz, TB xy, TB xz, TB yz)
        where TU : struct, IAggregationOperator
        where TB : struct, IBinaryOperator
    {
        var n = x.Length;
        if (y.Length != n || z.Length != n)
        {
            ThrowLengthMismatch();
        }

        if (!Vector512.IsHardwareAccelerated || n < Vector512<float>.Count)
        {
            return (Aggregate(x, ux, y, uy, z, uz), (Aggregate(x, y, xy), Aggregate(x, z, xz), Aggregate(y, z, yz)));
        }

        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        ref var rz = ref MemoryMarshal.GetReference(z);
        var (ax, ay, az) = (Vector512.Create(ux.Identity), Vector512.Create(uy.Identity), Vector512.Create(uz.Identity));
        var (pxy, pxz, pyz) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var (vx, vy, vz) = (Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref ry, (nuint)i), Vector512.LoadUnsafe(ref rz, (nuint)i));
            (ax, ay, az) = (ux.Combine(ax, ux.Transform(vx)), uy.Combine(ay, uy.Transform(vy)), uz.Combine(az, uz.Transform(vz)));
            (pxy, pxz, pyz) = (pxy + xy.Transform(vx, vy), pxz + xz.Transform(vx, vz), pyz + yz.Transform(vy, vz));
        }

        return ((Finish512(ref rx, n, i, ax, ux), Finish512(ref ry, n, i, ay, uy), Finish512(ref rz, n, i, az, uz)),
            (FinishBinary512(ref rx, ref ry, n, i, pxy, xy), FinishBinary512(ref rx, ref rz, n, i, pxz, xz), FinishBinary512(ref ry, ref rz, n, i, pyz, yz)));
    }

    // The end of a Vector512 reduction whose whole vectors before `i` are in `acc`: the masked last vector, then the
    // reduction across lanes. The one tail the single and the batched reductions share, so they agree bit for bit.
    private static float Finish512<TOp>(ref float start, int n, int i, Vector512<float> acc, TOp op)
        where TOp : struct, IAggregationOperator
    {
        if (i < n)
        {
            var lastStart = n - Vector512<float>.Count;
            var last = op.Transform(Vector512.LoadUnsafe(ref start, (nuint)lastStart));
            var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - lastStart)).AsSingle();
            acc = op.Combine(acc, Vector512.ConditionalSelect(fresh, last, Vector512.Create(op.Identity)));
        }

        return Reduce(op, acc);
    }

    /// <summary>The scalar reference: a left-to-right fold.</summary>
    public static float AggregateScalar<TOp>(ReadOnlySpan<float> x, TOp op)
        where TOp : struct, IAggregationOperator
    {
        var acc = op.Identity;
        foreach (var v in x)
        {
            acc = op.Combine(acc, op.Transform(v));
        }

        return acc;
    }

    /// <summary>Sum of <c>op.Transform(x[i], y[i])</c>; the spans must have equal length.</summary>
    public static float Aggregate<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, TOp op)
        where TOp : struct, IBinaryOperator
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch();
        }

        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var n = x.Length;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            return FinishBinary512(ref xs, ref ys, n, 0, Vector512<float>.Zero, op);
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            var i = 0;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc += op.Transform(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            }

            if (i < n)
            {
                var lastStart = n - Vector256<float>.Count;
                var last = op.Transform(Vector256.LoadUnsafe(ref xs, (nuint)lastStart), Vector256.LoadUnsafe(ref ys, (nuint)lastStart));
                var fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(i - lastStart)).AsSingle();
                acc += Vector256.ConditionalSelect(fresh, last, Vector256<float>.Zero);
            }

            return Vector128.Sum(acc.GetLower() + acc.GetUpper());
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            var i = 0;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                acc += op.Transform(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i));
            }

            if (i < n)
            {
                var lastStart = n - Vector128<float>.Count;
                var last = op.Transform(Vector128.LoadUnsafe(ref xs, (nuint)lastStart), Vector128.LoadUnsafe(ref ys, (nuint)lastStart));
                var fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(i - lastStart)).AsSingle();
                acc += Vector128.ConditionalSelect(fresh, last, Vector128<float>.Zero);
            }

            return Vector128.Sum(acc);
        }

        return AggregateScalar(x, y, op);
    }

    // A binary Vector512 reduction from `from` on, its whole vectors already in `acc`: the rest of the whole vectors,
    // the masked last one, the reduction across lanes.
    private static float FinishBinary512<TOp>(ref float xs, ref float ys, int n, int from, Vector512<float> acc, TOp op)
        where TOp : struct, IBinaryOperator
    {
        var i = from;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            acc += op.Transform(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
        }

        if (i < n)
        {
            var lastStart = n - Vector512<float>.Count;
            var last = op.Transform(Vector512.LoadUnsafe(ref xs, (nuint)lastStart), Vector512.LoadUnsafe(ref ys, (nuint)lastStart));
            var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - lastStart)).AsSingle();
            acc += Vector512.ConditionalSelect(fresh, last, Vector512<float>.Zero);
        }

        return Vector128.Sum(acc.GetLower().GetLower() + acc.GetLower().GetUpper() + acc.GetUpper().GetLower() + acc.GetUpper().GetUpper());
    }

    /// <summary>The scalar reference of the binary reduction.</summary>
    public static float AggregateScalar<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, TOp op)
        where TOp : struct, IBinaryOperator
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch();
        }

        var acc = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            acc += op.Transform(x[i], y[i]);
        }

        return acc;
    }

    /// <summary>The lanes of a vector combined by the operator: halves, then quarters, then pairs of lanes.</summary>
    public static float Reduce<TOp>(TOp op, Vector512<float> v)
        where TOp : struct, IAggregationOperator
        => Reduce(op, op.Combine(v.GetLower(), v.GetUpper()));

    private static float Reduce<TOp>(TOp op, Vector256<float> v)
        where TOp : struct, IAggregationOperator
        => Reduce(op, op.Combine(v.GetLower(), v.GetUpper()));

    private static float Reduce<TOp>(TOp op, Vector128<float> v)
        where TOp : struct, IAggregationOperator
        => op.Combine(op.Combine(v.GetElement(0), v.GetElement(1)), op.Combine(v.GetElement(2), v.GetElement(3)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() => throw new ArgumentException("The two spans of a binary reduction must have the same length.");
}
