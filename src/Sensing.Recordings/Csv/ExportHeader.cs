using Sensing.Core;

namespace Sensing.Recordings.Csv;

/// <summary>
/// What a device's export says above its rows instead of a time per row: where the samples start, on which clock,
/// and how fast they come (ActiGraph's preamble, an Empatica E4 file's first two lines).
/// </summary>
/// <param name="Device">The export, as the reader's note names it.</param>
/// <param name="RateHz">The sample rate it states.</param>
/// <param name="StartMicros">The first sample's time on <paramref name="Clock"/>, microseconds since the Unix epoch.</param>
/// <param name="Clock">A device-local wall clock or UTC.</param>
/// <param name="Columns">The column names when no header line of names follows (the E4's x,y,z); null when one does.</param>
/// <param name="CountsPerG">The unit of the values when the export fixes it (the E4's 1/64 g); null to detect it.</param>
internal sealed record ExportHeader(string Device, double RateHz, double StartMicros, RecordingClock Clock, IReadOnlyList<string>? Columns = null, double? CountsPerG = null);
