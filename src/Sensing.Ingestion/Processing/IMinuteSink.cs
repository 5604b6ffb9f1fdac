namespace Sensing.Ingestion.Processing;

/// <summary>Where a band's finished minutes go (the point batcher in the worker; a list in tests).</summary>
public interface IMinuteSink
{
    /// <summary>Takes one minute of <paramref name="band"/>. Called in the band's time order.</summary>
    void Add(BandIdentity band, MinuteFacts minute);
}
