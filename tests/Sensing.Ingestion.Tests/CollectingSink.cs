using System.Collections.Concurrent;
using Sensing.Ingestion.Processing;

namespace Sensing.Ingestion.Tests;

/// <summary>Keeps every minute handed to storage, per band, in arrival order.</summary>
internal sealed class CollectingSink : IMinuteSink
{
    private readonly ConcurrentDictionary<string, List<MinuteFacts>> _minutes = new();

    public void Add(BandIdentity band, MinuteFacts minute)
    {
        var list = _minutes.GetOrAdd(band.Id, _ => []);
        lock (list)
        {
            list.Add(minute);
        }
    }

    public IReadOnlyList<MinuteFacts> Of(string band)
    {
        if (!_minutes.TryGetValue(band, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }
}
