namespace Sensing.Ingestion.Sessions;

/// <summary>One band as the live table and <c>/bands</c> show it.</summary>
public sealed record BandSnapshot(
    string Band,
    LinkState State,
    int Mtu,
    long Samples,
    long LiveSteps,
    long StoredSteps,
    long Minutes,
    long BackfillBehind,
    long HeldSamples,
    long PendingSamples,
    long Duplicates,
    long Shed,
    long LostSamples,
    long Connections,
    string? LastFault,
    DateTimeOffset? LatestSample,
    bool PipelineOpen,
    long StreamsCompleted);
