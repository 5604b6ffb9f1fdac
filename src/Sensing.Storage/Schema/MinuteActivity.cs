namespace Sensing.Storage.Schema;

/// <summary>One minute of activity: measurement <c>minute</c>, time = start of the minute (UTC).</summary>
/// <param name="Start">Start of the minute.</param>
/// <param name="Steps">Steps counted in the minute (field <c>steps</c>, integer).</param>
/// <param name="ActiveSeconds">Seconds of the minute classified as non-sedentary (field <c>active_s</c>, integer, 0-60).</param>
/// <param name="EnmoMilliG">Mean ENMO in milli-g (field <c>enmo_mg</c>, float).</param>
public readonly record struct MinuteActivity(DateTimeOffset Start, int Steps, int ActiveSeconds, double EnmoMilliG);
