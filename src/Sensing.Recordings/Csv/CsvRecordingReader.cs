using System.Globalization;
using Sensing.Core;

namespace Sensing.Recordings.Csv;

/// <summary>
/// Streams a CSV recording (optionally gzip-compressed) row by row into <see cref="SampleBlock"/>s. The first rows
/// are held back only long enough to detect the time unit and the acceleration unit; after that nothing is buffered
/// beyond the block being filled.
/// </summary>
internal sealed class CsvRecordingReader : IRecordingReader
{
    private const int DetectionRows = 256;
    private const int MinSkippableRows = 100;
    private static readonly char[] Delimiters = [',', ';', '\t'];

    private readonly TextReader _text;
    private readonly RecordingOptions _options;
    private readonly Queue<Row> _held = new();
    private readonly TimelineRepair _repair;
    private CsvLayout? _layout;
    private long _line;
    private long _index;
    private double _firstTimeRaw = double.NaN;
    private double _timeScale;
    private float _valueScale = 1;
    private bool _ended;
    private double? _rate;                 // an imposed rate (--rate, or an export header's): times by sample index
    private ExportHeader? _header;
    private bool _rowsDecided;             // the first rows read and decided the units: a bad row after them is skipped
    private string? _firstSkipped;
    private NumberFormatInfo? _numbers;    // decided on the first data row with a fraction (see DecideNumbers)

    public CsvRecordingReader(string path, TextReader text, RecordingOptions options)
    {
        _text = text;
        _options = options;
        _rate = options.RateHz;
        Info = new RecordingInfo(path);
        Timeline = new TimelineReport();
        _repair = new TimelineRepair(options.GapThreshold, Timeline);
    }

    public RecordingInfo Info { get; }

    public TimelineReport Timeline { get; }

    public bool ReadBlock(SampleBlock block)
    {
        block.Clear();
        if (_layout is null && !Prepare())
        {
            return false;
        }

        block.HasAxes = Info.HasAxes;
        while (!block.IsFull && TryNextRow(out var row))
        {
            Append(block, row);
        }

        return block.Count > 0;
    }

    public void Dispose() => _text.Dispose();

    private readonly record struct Row(long Line, double Time, double A, double B, double C);

    private bool TryNextRow(out Row row)
    {
        if (_held.Count > 0)
        {
            row = _held.Dequeue();
            return true;
        }

        return TryReadRow(out row);
    }

    private void Append(SampleBlock block, in Row row)
    {
        double rawMicros;
        if (_rate is { } rate)
        {
            // Counted from the first timestamp: zero on a relative clock, the first date-time on a wall clock.
            if (double.IsNaN(_firstTimeRaw))
            {
                _firstTimeRaw = row.Time;
            }

            var origin = Info.Clock == RecordingClock.Relative ? 0 : _firstTimeRaw * _timeScale;
            rawMicros = origin + (_index / rate * 1e6);
        }
        else
        {
            if (double.IsNaN(_firstTimeRaw))
            {
                _firstTimeRaw = row.Time;
            }

            // Relative clocks start at zero; absolute ones keep their epoch.
            rawMicros = Info.Clock == RecordingClock.Relative ? (row.Time - _firstTimeRaw) * _timeScale : row.Time * _timeScale;
        }

        _index++;
        var time = _repair.Next((long)Math.Round(rawMicros), row.Line);
        if (Info.HasAxes)
        {
            block.Add(time, (float)row.A * _valueScale, (float)row.B * _valueScale, (float)row.C * _valueScale);
        }
        else
        {
            block.Add(time, (float)Math.Abs(row.A) * _valueScale, 0, 0);
        }
    }

    // Reads the header, holds back the first rows, and decides units from them. False for an empty file.
    private bool Prepare()
    {
        if (_ended)
        {
            return false;
        }

        var first = ReadNonBlankLine();
        _header = first is null ? null
            : ActiGraphPreamble.Starts(first) ? ActiGraphPreamble.Read(first, _text, Info.Path, ref _line)
            : EmpaticaHeader.Starts(first) ? EmpaticaHeader.Read(first, _text, Info.Path, ref _line)
            : null;
        if (_header is not null)
        {
            // The rows (or their names) follow; the times come from the header's start and rate.
            _rate ??= _header.RateHz;
            first = ReadNonBlankLine();
        }

        if (first is null)
        {
            _ended = true;
            return false;
        }

        // Control characters, or mostly undecodable bytes (a stray ° or ² of a Windows code page is only a few).
        if (first.Any(c => char.IsControl(c) && c != '\t') || first.Count(c => c == '\uFFFD') > first.Length / 10)
        {
            throw new RecordingFormatException(Info.Path, _line, "not a text file: line 1 holds binary data (a recording of another format named .csv?)");
        }

        var delimiter = Delimiters.MaxBy(d => first.Count(c => c == d));
        var firstFields = first.Split(delimiter);
        bool firstIsData;
        try
        {
            if ((_options.Columns ?? _header?.Columns) is { } columns)
            {
                var names = columns.Select(c => c == "-" ? "_skip" : c).ToList();
                var layout = CsvLayout.FromNamesAllowingNoTime(names, delimiter, _rate is not null);
                _layout = layout;
                // Only the columns read decide: a skipped column may hold text (a label) on a data line.
                firstIsData = layout.NeededColumns.All(c => c >= firstFields.Length || IsNumberOrDate(firstFields[c]));
            }
            else if (!firstFields.All(f => IsNumberOrDate(f)))
            {
                _layout = CsvLayout.FromNamesAllowingNoTime(firstFields, delimiter, _rate is not null);
                firstIsData = false;
            }
            else if (HeaderlessLayout.Recognise(firstFields) is var (names, note))
            {
                _layout = CsvLayout.FromNamesAllowingNoTime(names, delimiter, _rate is not null);
                firstIsData = true;
                Info.Notes.Add(note);
            }
            else
            {
                throw new RecordingFormatException(Info.Path, _line,
                    $"the first line has no header ({Truncate(first)}); name the columns with --columns, e.g. --columns time,x,y,z or time,-,x,y,z");
            }
        }
        catch (FormatException ex)
        {
            throw new RecordingFormatException(Info.Path, _line, ex.Message);
        }

        if (_header is not null)
        {
            _layout = _layout.WithoutTime();
        }

        Info.HasAxes = _layout.HasAxes;
        if (firstIsData)
        {
            _held.Enqueue(ParseRow(first, _line));
        }

        while (_held.Count < DetectionRows && TryReadRow(out var row))
        {
            _held.Enqueue(row);
        }

        DecideTimeUnit();
        DecideUnits();
        _rowsDecided = true;
        Info.NominalRateHz = _rate ?? MeasureHeldRate();
        return _held.Count > 0;
    }

    private string? ReadNonBlankLine()
    {
        string? line;
        do
        {
            line = _text.ReadLine();
            _line++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));

        return line;
    }

    private bool TryReadRow(out Row row)
    {
        while (!_ended)
        {
            var line = _text.ReadLine();
            _line++;
            if (line is null)
            {
                _ended = true;
                break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var layout = _layout!;
            if (_text.Peek() < 0 && line.Count(c => c == layout.Delimiter) < layout.LastNeeded)
            {
                // The last line, short of fields: a file cut short inside a row (a copy or a logger that stopped);
                // the rows before it stand.
                Info.Notes.Add($"the last line ({_line}) is cut short and was left out: {Truncate(line)}");
                _ended = true;
                break;
            }

            try
            {
                row = ParseRow(line, _line);
                return true;
            }
            catch (RecordingFormatException ex) when (_rowsDecided && Timeline.CorruptUnits < Math.Max(MinSkippableRows, _index / 100))
            {
                // A bad row in a recording whose first rows read (a logger's glitch, a header written again when it
                // restarted): skipped and named, as a damaged .cwa block is; the rows around it stand. More than one
                // in a hundred is no glitch: the error stands.
                Timeline.CorruptUnits++;
                Timeline.Note(_line, $"{ex.Problem}; row skipped");
                _firstSkipped ??= $"line {_line}: {ex.Problem}";
            }
        }

        if (_firstSkipped is not null)
        {
            Info.Notes.Add($"skipped {Timeline.CorruptUnits} malformed row(s), the first at {_firstSkipped}");
            _firstSkipped = null;
        }

        row = default;
        return false;
    }

    private TimeUnit _timeUnit;

    private Row ParseRow(string line, long lineNumber)
    {
        var layout = _layout!;
        Span<Range> ranges = stackalloc Range[Math.Max(layout.LastNeeded + 2, 8)];
        var span = line.AsSpan();
        var count = span.Split(ranges, layout.Delimiter);
        _numbers ??= DecideNumbers(span, ranges[..count], layout);
        if (count <= layout.LastNeeded)
        {
            throw new RecordingFormatException(Info.Path, lineNumber,
                $"expected at least {layout.LastNeeded + 1} fields separated by '{layout.Delimiter}', found {count}: {Truncate(line)}");
        }

        var time = layout.Time >= 0 ? ParseTime(span[ranges[layout.Time]], lineNumber) : 0;
        if (layout.HasAxes)
        {
            return new Row(lineNumber, time,
                ParseValue(span[ranges[layout.X]], lineNumber, "x"),
                ParseValue(span[ranges[layout.Y]], lineNumber, "y"),
                ParseValue(span[ranges[layout.Z]], lineNumber, "z"));
        }

        return new Row(lineNumber, time, ParseValue(span[ranges[layout.Magnitude]], lineNumber, "magnitude"), 0, 0);
    }

    private double ParseValue(ReadOnlySpan<char> cell, long lineNumber, string column)
    {
        cell = cell.Trim().Trim('"');
        if (double.TryParse(cell, NumberStyles.Float, Numbers, out var value) && double.IsFinite(value))
        {
            return value;
        }

        throw new RecordingFormatException(Info.Path, lineNumber,
            cell.IsEmpty ? $"column {column} is empty" : $"column {column} is not a number: '{Truncate(cell.ToString())}'");
    }

    // A decimal comma, as spreadsheets in much of Europe write numbers (0,123;0,456): possible only where the comma is
    // not the delimiter, and taken from the first row whose cells read show a fraction; null until one does.
    private NumberFormatInfo? DecideNumbers(ReadOnlySpan<char> line, ReadOnlySpan<Range> cells, CsvLayout layout)
    {
        if (layout.Delimiter == ',')
        {
            return NumberFormatInfo.InvariantInfo;
        }

        foreach (var column in layout.NeededColumns)
        {
            var cell = column < cells.Length ? line[cells[column]] : [];
            if (column == layout.Time && cell.Contains(':'))
            {
                continue; // a time of day: its fraction of a second says nothing of how the values are written
            }

            if (cell.Contains('.'))
            {
                return NumberFormatInfo.InvariantInfo;
            }

            if (cell.Contains(','))
            {
                Info.Notes.Add("numbers written with a decimal comma");
                return DecimalComma;
            }
        }

        return null;
    }

    private NumberFormatInfo Numbers => _numbers ?? NumberFormatInfo.InvariantInfo;

    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "\u00a0" };

    // Numeric times are returned as read; date-times as microseconds since 0001-01-01 converted to the Unix epoch.
    private double ParseTime(ReadOnlySpan<char> cell, long lineNumber)
    {
        cell = cell.Trim().Trim('"');
        var unit = _timeUnit != TimeUnit.Auto ? _timeUnit : _options.TimeUnit;
        if (unit != TimeUnit.Iso)
        {
            if (long.TryParse(cell, NumberStyles.Integer, Numbers, out var whole))
            {
                return whole;
            }

            if (double.TryParse(cell, NumberStyles.Float, Numbers, out var number) && double.IsFinite(number))
            {
                return number;
            }

            if (unit != TimeUnit.Auto)
            {
                throw new RecordingFormatException(Info.Path, lineNumber, $"time is not a number: '{Truncate(cell.ToString())}' (time unit {unit})");
            }
        }

        if (TryParseDate(cell, out var micros, out var hasZone))
        {
            _timeUnit = TimeUnit.Iso;
            Info.Clock = hasZone ? RecordingClock.UnixUtc : RecordingClock.LocalUnspecified;
            return micros;
        }

        throw new RecordingFormatException(Info.Path, lineNumber,
            $"time is neither a number nor a date-time: '{Truncate(cell.ToString())}'");
    }

    internal static bool TryParseDate(ReadOnlySpan<char> cell, out double micros, out bool hasZone)
    {
        hasZone = cell.EndsWith("Z") || (cell.Length > 6 && (cell[^6] == '+' || cell[^6] == '-') && cell[^3] == ':');
        if (hasZone && DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
        {
            micros = (offset.UtcTicks - DateTime.UnixEpoch.Ticks) / 10.0;
            return true;
        }

        if (DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault, out var local))
        {
            micros = (local.Ticks - DateTime.UnixEpoch.Ticks) / 10.0;
            hasZone = false;
            return true;
        }

        micros = 0;
        return false;
    }

    private static bool IsNumberOrDate(string field)
    {
        var cell = field.AsSpan().Trim().Trim('"');
        return cell.IsEmpty || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || TryParseDate(cell, out _, out _);
    }

    private void DecideTimeUnit()
    {
        var unit = _options.TimeUnit != TimeUnit.Auto ? _options.TimeUnit
            : _timeUnit == TimeUnit.Iso ? TimeUnit.Iso
            : _layout!.HeaderTimeUnit;
        if (_header is { } header)
        {
            Info.TimeUnit = TimeUnit.Seconds;
            Info.Clock = header.Clock;
            _firstTimeRaw = header.StartMicros;
            _timeScale = 1;
            var start = DateTime.UnixEpoch.AddTicks((long)(header.StartMicros * 10)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            Info.Notes.Add($"{header.Device}: sample times from {start} ({(header.Clock == RecordingClock.UnixUtc ? "UTC" : "device local time")}) at {_rate} Hz"
                           + (_options.RateHz is null ? ", both from its header" : " (--rate)"));
            return;
        }

        if (_rate is not null)
        {
            Info.TimeUnit = unit == TimeUnit.Auto ? TimeUnit.Seconds : unit;
            Info.Notes.Add($"sample times from --rate {_rate} Hz (time column ignored)");
            _timeScale = 1;
            return;
        }

        if (unit == TimeUnit.Auto)
        {
            unit = GuessTimeUnit();
        }

        _timeUnit = unit;
        Info.TimeUnit = unit;
        _timeScale = unit switch
        {
            TimeUnit.Seconds => 1e6,
            TimeUnit.Milliseconds => 1e3,
            TimeUnit.Microseconds => 1,
            TimeUnit.Nanoseconds => 1e-3,
            _ => 1, // ISO times are parsed to microseconds already.
        };

        if (unit != TimeUnit.Iso && _held.Count > 0)
        {
            // An epoch clock shows itself by its size: 2001..2100 in the chosen unit.
            var seconds = _held.Peek().Time * _timeScale / 1e6;
            if (seconds is > 978_307_200 and < 4_102_444_800)
            {
                Info.Clock = RecordingClock.UnixUtc;
            }
        }
    }

    // The rate over the held rows: the mean of the intervals near the typical (median) one, so that neither
    // rounded timestamps (12, 13, 12, 13 ms) nor dropped samples (an 80 ms stream with some 160 ms steps) bias it.
    private double MeasureHeldRate()
    {
        var intervals = new List<double>();
        double? previous = null;
        foreach (var row in _held)
        {
            var micros = row.Time * _timeScale;
            if (previous is { } p && micros > p)
            {
                intervals.Add(micros - p);
            }

            previous = micros;
        }

        if (intervals.Count == 0)
        {
            return 0;
        }

        var sorted = intervals.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var typical = intervals.Where(i => i >= 0.5 * median && i <= 1.5 * median).ToList();
        var mean = typical.Average();
        _repair.NominalPeriodMicros = (long)Math.Round(mean);
        return 1e6 / mean;
    }

    private TimeUnit GuessTimeUnit()
    {
        var deltas = new List<double>();
        Row? previous = null;
        foreach (var row in _held)
        {
            if (previous is { } p && row.Time > p.Time)
            {
                deltas.Add(row.Time - p.Time);
            }

            previous = row;
        }

        if (deltas.Count == 0)
        {
            Info.Notes.Add("time unit could not be detected (fewer than two distinct times); assumed ms");
            return TimeUnit.Milliseconds;
        }

        deltas.Sort();
        var median = deltas[deltas.Count / 2];

        // Wristband rates are 10-200 Hz, so the typical interval is 5-100 of a unit's thousandths; the ranges
        // for s, ms, µs and ns do not overlap.
        var unit = median switch
        {
            < 1 => TimeUnit.Seconds,
            < 1_000 => TimeUnit.Milliseconds,
            < 1_000_000 => TimeUnit.Microseconds,
            _ => TimeUnit.Nanoseconds,
        };
        Info.Notes.Add($"time unit detected from a typical interval of {median:G4}: {unit}");
        return unit;
    }

    private void DecideUnits()
    {
        var units = _options.CountsPerG is not null ? AccelerationUnit.Counts
            : _options.Units != AccelerationUnit.Auto ? _options.Units
            : _layout!.HeaderUnits;
        var countsPerG = _options.CountsPerG ?? 0;
        if (units == AccelerationUnit.Auto && _header?.CountsPerG is { } fixedCounts)
        {
            // The export fixes its unit: no guess.
            (units, countsPerG) = (AccelerationUnit.Counts, fixedCounts);
            Info.Notes.Add($"{_header.Device}: values in counts of 1/{fixedCounts} g");
        }

        if (units == AccelerationUnit.Auto || (units == AccelerationUnit.Counts && countsPerG <= 0))
        {
            (units, countsPerG) = GuessUnits(units == AccelerationUnit.Counts);
        }

        Info.Units = units;
        Info.CountsPerG = units == AccelerationUnit.Counts ? countsPerG : 1;
        _valueScale = units switch
        {
            AccelerationUnit.G => 1f,
            AccelerationUnit.MilliG => 1e-3f,
            AccelerationUnit.MetresPerSecondSquared => (float)(1 / 9.80665),
            _ => (float)(1 / countsPerG),
        };
    }

    private (AccelerationUnit Units, double CountsPerG) GuessUnits(bool countsOnly)
    {
        var magnitudes = _held.Select(r => Info.HasAxes ? Math.Sqrt((r.A * r.A) + (r.B * r.B) + (r.C * r.C)) : Math.Abs(r.A)).ToList();
        if (magnitudes.Count == 0)
        {
            return (AccelerationUnit.G, 1);
        }

        magnitudes.Sort();
        var median = magnitudes[magnitudes.Count / 2];

        // Gravity dominates a wrist at rest or walking, so the median magnitude is about 1 g in whatever unit.
        (AccelerationUnit, double) guess = median switch
        {
            _ when countsOnly => (AccelerationUnit.Counts, Math.Pow(2, Math.Round(Math.Log2(Math.Max(median, 1))))),
            > 0.3 and < 3 => (AccelerationUnit.G, 1),
            > 4 and < 30 => (AccelerationUnit.MetresPerSecondSquared, 1),
            > 500 and < 1_500 => (AccelerationUnit.MilliG, 1),
            _ => (AccelerationUnit.Counts, Math.Pow(2, Math.Round(Math.Log2(Math.Max(median, 1))))),
        };
        Info.Notes.Add(guess.Item1 == AccelerationUnit.Counts
            ? $"units guessed from a typical magnitude of {median:G4}: raw counts, {guess.Item2} per g (give --counts-per-g to be exact)"
            : $"units guessed from a typical magnitude of {median:G4}: {guess.Item1}");
        return guess;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
