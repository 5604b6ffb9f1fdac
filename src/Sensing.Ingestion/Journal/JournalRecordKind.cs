namespace Sensing.Ingestion.Journal;

/// <summary>What a journal record says about one band's stream. The numbers are on disk: never renumber.</summary>
public enum JournalRecordKind : byte
{
    /// <summary>A run of samples the band's stream takes next, in order: a protocol frame (firmware-protocol §3).</summary>
    Samples = 1,

    /// <summary>A clock observation: device tick of a boot at a UTC instant (README §6.2).</summary>
    ClockObservation = 2,

    /// <summary>Sample indices the band no longer has (freed, dropped on overflow, before first contact): the stream skips them.</summary>
    LostRange = 3,

    /// <summary>A boot's stored data is exhausted; the stream goes on with the next boot.</summary>
    BootFinished = 4,

    /// <summary>The first position of a band the gateway has never seen.</summary>
    StreamStart = 5,

    /// <summary>The band stopped producing samples while connected and caught up: its pipeline was completed.</summary>
    StreamCompleted = 6,
}
