using Sensing.Core;
using Sensing.Pipeline;

namespace Sensing.Ingestion.Processing;

/// <summary>One finished minute of a band, ready to store: the pipeline's minute placed in UTC, with its ENMO.</summary>
/// <param name="Start">UTC start of the minute (the band's minute, mapped by its clock fit).</param>
/// <param name="Epoch">The pipeline's minute: steps and seconds per class.</param>
/// <param name="EnmoMilliG">Mean ENMO (Euclidean norm minus one, negatives clipped) of the minute's samples, milli-g.</param>
public sealed record MinuteFacts(DateTimeOffset Start, MinuteEpoch Epoch, double EnmoMilliG)
{
    /// <summary>Classes a back-pain plan counts as not sedentary.</summary>
    private static readonly ActivityClass[] Active =
        [ActivityClass.Standing, ActivityClass.Walking, ActivityClass.Running, ActivityClass.Stairs, ActivityClass.Cycling];

    /// <summary>Seconds classified as standing, walking, running, stairs or cycling.</summary>
    public int ActiveSeconds => Active.Sum(Epoch.SecondsOf);

    /// <summary>True when the band was worn for most of the classified part of the minute; null when nothing was classified.</summary>
    public bool? Worn => Epoch.ClassifiedSeconds == 0 ? null : Epoch.SecondsOf(ActivityClass.NonWear) * 2 < Epoch.ClassifiedSeconds;

    /// <summary>Share of the classified seconds that the dominant class holds (0 when nothing was classified).</summary>
    public double DominantShare => Epoch.ClassifiedSeconds == 0 ? 0 : Epoch.SecondsOf(Epoch.Dominant) / (double)Epoch.ClassifiedSeconds;
}
