namespace Sensing.Activity.Features;

/// <summary>Per-axis statistics of one window that the non-wear rule accumulates over an hour.</summary>
/// <param name="Count">Samples in the window.</param>
internal readonly record struct WindowSummary(int Count, AxisSummary X, AxisSummary Y, AxisSummary Z);

/// <summary>Mean, sum of squared deviations from it (M2), minimum and maximum of one axis, in g.</summary>
internal readonly record struct AxisSummary(double Mean, double M2, float Min, float Max);
