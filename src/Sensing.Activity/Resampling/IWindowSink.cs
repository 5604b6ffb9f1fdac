namespace Sensing.Activity.Resampling;

/// <summary>Receives each complete window of the grid, in time order.</summary>
internal interface IWindowSink
{
    /// <param name="windowIndex">The window's start is <c>windowIndex * WindowGrid.WindowMicros</c>.</param>
    void OnWindow(long windowIndex, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z);
}
