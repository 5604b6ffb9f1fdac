using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Signal.Kernels;

/// <summary>
/// The loops behind the kernels: width dispatch, bounds validation and tails, written once.
/// Tail policy: an element-wise map recomputes an overlapping last full vector (its results are identical, so
/// writing them twice is harmless); inputs shorter than one vector take the scalar form.
/// </summary>
internal static class KernelDriver
{
    /// <summary>Which paths may run; tests force the scalar reference or a given width.</summary>
    internal static KernelWidth MaxWidth { get; set; } = KernelWidth.Widest;

    public static void Ternary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        if (x.Length != y.Length || x.Length != z.Length)
        {
            throw new ArgumentException($"Input lengths differ: x {x.Length}, y {y.Length}, z {z.Length}.");
        }

        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Destination ({destination.Length}) is shorter than the input ({x.Length}).", nameof(destination));
        }

        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var zr = ref MemoryMarshal.GetReference(z);
        ref var dr = ref MemoryMarshal.GetReference(destination);

        if (MaxWidth >= KernelWidth.V512 && Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var last = n - Vector512<float>.Count;
            for (nuint i = 0; (int)i < last; i += (nuint)Vector512<float>.Count)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), Vector512.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }

            TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)last), Vector512.LoadUnsafe(ref yr, (nuint)last), Vector512.LoadUnsafe(ref zr, (nuint)last))
                .StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        if (MaxWidth >= KernelWidth.V256 && Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var last = n - Vector256<float>.Count;
            for (nuint i = 0; (int)i < last; i += (nuint)Vector256<float>.Count)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), Vector256.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }

            TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)last), Vector256.LoadUnsafe(ref yr, (nuint)last), Vector256.LoadUnsafe(ref zr, (nuint)last))
                .StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        if (MaxWidth >= KernelWidth.V128 && Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var last = n - Vector128<float>.Count;
            for (nuint i = 0; (int)i < last; i += (nuint)Vector128<float>.Count)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), Vector128.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }

            TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)last), Vector128.LoadUnsafe(ref yr, (nuint)last), Vector128.LoadUnsafe(ref zr, (nuint)last))
                .StoreUnsafe(ref dr, (nuint)last);
            return;
        }

        ScalarTernary<TOp>(x, y, z, destination);
    }

    /// <summary>The scalar reference: the same operator, one element at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ScalarTernary<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = TOp.Invoke(x[i], y[i], z[i]);
        }
    }
}

/// <summary>The widest vector path a driver may take.</summary>
internal enum KernelWidth
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
    Widest = int.MaxValue,
}
