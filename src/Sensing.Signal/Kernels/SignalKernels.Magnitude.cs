namespace Sensing.Signal.Kernels;

/// <summary>The signal kernels: one public method per operation, each a one-line call into <see cref="KernelDriver"/>.</summary>
public static partial class SignalKernels
{
    /// <summary><c>destination[i] = sqrt(x[i]² + y[i]² + z[i]²)</c>, vectorised.</summary>
    /// <exception cref="ArgumentException">Input lengths differ, or the destination is shorter than the input.</exception>
    public static void Magnitude(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        => KernelDriver.Ternary<MagnitudeOperator>(x, y, z, destination);
}
