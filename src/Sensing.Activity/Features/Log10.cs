using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Activity.Features;

/// <summary>
/// Base-10 logarithms of sixteen positive floats at once: <c>log2(x) * log10(2)</c> by the runtime's vector
/// logarithm (<see cref="Vector512.Log2(Vector512{float})"/>, or four <see cref="Vector128"/> where there is no
/// Vector512). Both widths run the same arithmetic lane by lane, so <see cref="OfOne"/>, the scalar reference, gives
/// each element's result bit for bit. Within about one unit in the last place of <see cref="MathF.Log10"/>.
/// </summary>
internal static class Log10
{
    /// <summary>Elements per call.</summary>
    public const int Lanes = 16;

    private const float Log10Of2 = 0.30102999566398120f;

    /// <summary>Replaces each of the sixteen values with its log10.</summary>
    public static void Of(Span<float> values)
    {
        if (values.Length != Lanes)
        {
            throw new ArgumentException($"Log10.Of takes {Lanes} values.", nameof(values));
        }

        ref var at = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated)
        {
            (Vector512.Log2(Vector512.LoadUnsafe(ref at)) * Log10Of2).StoreUnsafe(ref at);
            return;
        }

        for (var i = 0; i < Lanes; i += Vector128<float>.Count)
        {
            (Vector128.Log2(Vector128.LoadUnsafe(ref at, (nuint)i)) * Log10Of2).StoreUnsafe(ref at, (nuint)i);
        }
    }

    /// <summary>The scalar reference: one value through the same vector arithmetic.</summary>
    public static float OfOne(float value) => (Vector128.Log2(Vector128.CreateScalar(value)) * Log10Of2).ToScalar();
}
