using Sensing.Core;

namespace Sensing.Recordings.Cwa;

/// <summary>
/// Streams an Axivity AX3/AX6 <c>.cwa</c> file (Open Movement's binary format) one 512-byte block at a time: the
/// "MD" header, then "AX" data blocks. Only the accelerometer is read (AX6 gyroscope values are skipped), in g.
/// </summary>
/// <remarks>
/// <para>Sample times are device-local wall-clock times (<see cref="RecordingClock.LocalUnspecified"/>). As in the
/// official converters, the samples of a block are spread evenly from its first-sample time to the next block's,
/// so the device's real rate (an AX3 set to 100 Hz may run at 98.8 Hz) shows in the timestamps; a block with no
/// consecutive successor (the last one, or one before a skipped block or a restart) continues at the last measured
/// rate. The reader holds two decoded blocks, never the file.</para>
/// <para>A block whose checksum fails is skipped, counted in <see cref="TimelineReport.CorruptUnits"/>, listed in
/// <see cref="SkippedBlocks"/> and, at the end of the file, in <see cref="RecordingInfo.Notes"/>; the rest is kept.
/// Blocks are numbered from 0 after the header, as GGIRread and <c>cwa-convert</c> number them.</para>
/// </remarks>
public sealed class CwaRecordingReader : IRecordingReader
{
    private const int MaxListedBlocks = 50;

    private readonly Stream _stream;
    private readonly RecordingOptions _options;
    private readonly TimelineRepair _repair;
    private readonly byte[] _sector = new byte[CwaBlock.Size];
    private readonly List<long> _skipped = [];
    private readonly CwaHeader _header;
    private CwaBlock _current = new();
    private CwaBlock _next = new();
    private bool _hasCurrent;
    private bool _hasNext;
    private bool _ended;
    private int _cursor;
    private long _blockIndex;
    private long _otherSectors;
    private double _step;
    private double _lastMeasuredStep = double.NaN;
    private double _lastMeasuredRate;
    private double _originMicros = double.NaN;
    private long _emitted;

    /// <summary>Reads the header of a .cwa stream; samples are read by <see cref="ReadBlock"/>.</summary>
    /// <param name="path">The file name, for messages.</param>
    /// <param name="stream">The file's bytes from the start; owned (disposed) by the reader.</param>
    /// <param name="options">Gap threshold and an optional imposed rate; unit options do not apply (the file states its scale).</param>
    /// <exception cref="RecordingFormatException">The stream is not a .cwa file or ends inside its header. The stream is disposed.</exception>
    public CwaRecordingReader(string path, Stream stream, RecordingOptions options)
    {
        _stream = stream;
        _options = options;
        Info = new RecordingInfo(path)
        {
            Clock = RecordingClock.LocalUnspecified,

            // The file stores packed local date-times, the binary counterpart of an ISO time column.
            TimeUnit = TimeUnit.Iso,
            Units = AccelerationUnit.Counts,
        };
        Timeline = new TimelineReport { LocationKind = "block" };
        _repair = new TimelineRepair(options.GapThreshold, Timeline);
        try
        {
            _header = ReadHeader();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public RecordingInfo Info { get; }

    public TimelineReport Timeline { get; }

    /// <summary>Indices of the blocks skipped so far because they failed their checksum, could not be decoded, or were cut short.</summary>
    public IReadOnlyList<long> SkippedBlocks => _skipped;

    /// <summary>The device's id from the header (0 for an empty file).</summary>
    public uint DeviceId => _header.DeviceId;

    /// <summary>The recording session's id from the header (0 for an empty file).</summary>
    public uint SessionId => _header.SessionId;

    public bool ReadBlock(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        block.Clear();
        block.HasAxes = true;
        while (!block.IsFull && ((_hasCurrent && _cursor < _current.SampleCount) || Advance()))
        {
            var take = Math.Min(_current.SampleCount - _cursor, block.Capacity - block.Count);
            var scale = 1f / _current.CountsPerG;
            for (var i = _cursor; i < _cursor + take; i++)
            {
                var time = _repair.Next((long)Math.Round(SampleMicros(i)), _current.Index);
                block.Add(time, _current.X[i] * scale, _current.Y[i] * scale, _current.Z[i] * scale);
                _emitted++;
            }

            _cursor += take;
        }

        return block.Count > 0;
    }

    public void Dispose() => _stream.Dispose();

    private double SampleMicros(int i)
    {
        if (double.IsNaN(_originMicros))
        {
            _originMicros = _current.FirstSampleMicros + (i * _step);
        }

        return _options.RateHz is { } rate
            ? _originMicros + (_emitted / rate * 1e6)
            : _current.FirstSampleMicros + (i * _step);
    }

    private CwaHeader ReadHeader()
    {
        var start = new byte[CwaHeader.FieldBytes];
        var read = _stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            _ended = true;
            Info.Notes.Add("empty file: no header, no samples");
            return default;
        }

        if (!CwaHeader.HasSignature(start.AsSpan(0, read)))
        {
            var shown = Convert.ToHexString(start, 0, Math.Min(read, 8));
            throw new RecordingFormatException(Info.Path, 0,
                $"not an Axivity .cwa file: it starts with bytes {shown} where the \"MD\" header was expected");
        }

        if (read < start.Length)
        {
            throw new RecordingFormatException(Info.Path, 0, $"file ends inside the .cwa header ({read} bytes)");
        }

        CwaHeader header;
        try
        {
            header = CwaHeader.Parse(start);
        }
        catch (FormatException ex)
        {
            throw new RecordingFormatException(Info.Path, 0, $"bad .cwa header: {ex.Message}");
        }

        var rest = header.Length - start.Length;
        var skipped = rest > 0 ? _stream.ReadAtLeast(new byte[rest], rest, throwOnEndOfStream: false) : 0;
        if (skipped < rest)
        {
            throw new RecordingFormatException(Info.Path, 0,
                $"file ends inside the .cwa header ({start.Length + skipped} of {header.Length} bytes)");
        }

        Info.CountsPerG = header.IsAx6 ? 32768 / Math.Max(header.RangeG, 1) : 256;
        Info.Notes.Add($"Axivity {header.DeviceName}, device {header.DeviceId}, session {header.SessionId}: " +
                       $"configured {header.RateHz:0.###} Hz, ±{header.RangeG} g");
        return header;
    }

    // Moves to the next block with samples and works out its sample spacing. False at the end of the file.
    private bool Advance()
    {
        do
        {
            if (!_hasNext)
            {
                _hasNext = ReadDataBlock(_next);
            }

            if (!_hasNext)
            {
                _hasCurrent = false;
                return false;
            }

            (_current, _next) = (_next, _current);
            _hasCurrent = true;
            _hasNext = ReadDataBlock(_next);
            _cursor = 0;
        }
        while (_current.SampleCount == 0);

        _step = StepOf(_current);
        if (_emitted == 0)
        {
            DescribeSamples(_current);

            // What the device really ran at over its first block (the configured rate when it stands alone); a
            // skipped block shorter than the gap threshold then shows as dropped samples, not as a slower rate.
            Info.NominalRateHz = _options.RateHz ?? 1e6 / _step;
            _repair.NominalPeriodMicros = (long)Math.Round(1e6 / Info.NominalRateHz);
        }

        return true;
    }

    // Spread the block up to the next one when the device wrote them back to back and the span is plausible
    // (within 25% of nominal: crystal drift is well under 1%, so anything larger is a clock change).
    private double StepOf(CwaBlock block)
    {
        if (_hasNext && _next.Follows(block))
        {
            var span = _next.FirstSampleMicros - block.FirstSampleMicros;
            if (span > block.NominalMicros * 0.75 && span < block.NominalMicros * 1.25)
            {
                _lastMeasuredStep = span / block.SampleCount;
                _lastMeasuredRate = block.RateHz;
                return _lastMeasuredStep;
            }
        }

        return !double.IsNaN(_lastMeasuredStep) && _lastMeasuredRate == block.RateHz ? _lastMeasuredStep : 1e6 / block.RateHz;
    }

    // Reads sectors until one is a data block; damaged ones are skipped and reported. False at the end of the file.
    private bool ReadDataBlock(CwaBlock into)
    {
        while (!_ended)
        {
            var read = _stream.ReadAtLeast(_sector, _sector.Length, throwOnEndOfStream: false);
            if (read == 0)
            {
                End();
                return false;
            }

            var index = _blockIndex++;
            if (into.TryParse(_sector.AsSpan(0, read), index, _header.RangeG, out var rejection))
            {
                return true;
            }

            if (rejection == CwaBlockRejection.NotDataBlock)
            {
                _otherSectors++;
                continue;
            }

            _skipped.Add(index);
            Timeline.CorruptUnits++;
            Timeline.Note(index, CwaBlock.Describe(rejection) + (rejection == CwaBlockRejection.Truncated ? $" ({read} of {CwaBlock.Size} bytes)" : "; block skipped"));
            if (rejection == CwaBlockRejection.Truncated)
            {
                End();
                return false;
            }
        }

        return false;
    }

    private void End()
    {
        _ended = true;
        if (_skipped.Count > 0)
        {
            var listed = string.Join(", ", _skipped.Take(MaxListedBlocks)) + (_skipped.Count > MaxListedBlocks ? ", ..." : string.Empty);
            Info.Notes.Add($"skipped {_skipped.Count} damaged block(s) (numbered from 0 after the header): {listed}");
        }

        if (_otherSectors > 0)
        {
            Info.Notes.Add($"ignored {_otherSectors} sector(s) that are not data blocks");
        }
    }

    private void DescribeSamples(CwaBlock first)
    {
        Info.CountsPerG = first.CountsPerG;
        var layout = first.IsPacked ? "packed 10-bit samples with a shared exponent"
            : first.Axes == 3 ? "16-bit samples"
            : $"{first.Axes}-axis 16-bit samples (gyroscope first); accelerometer axes taken";
        Info.Notes.Add($"{layout}, {first.CountsPerG} counts per g");
    }
}
