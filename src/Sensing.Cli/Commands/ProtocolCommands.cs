using System.CommandLine;
using System.Text.Json;
using Sensing.Protocol.Frames;
using Sensing.Simulator;
using Sensing.Simulator.Measurement;
using Sensing.Simulator.Motion;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing protocol compression</c>: bytes per sample of the wristband protocol's frames (firmware-protocol §3.4)
/// against raw int16 x/y/z (6 bytes), for walking and sitting at 25 and 100 Hz: generated motion, and optionally the
/// selfBACK wrist recordings, each through a simulated band with live streaming at several MTUs and its flash.
/// </summary>
internal static class ProtocolCommands
{
    private const double RecordingMinutes = 30; // at most this much of each recording (selfBACK files are about 3 min)
    private static readonly int[] Mtus = [23, 185, 247];
    private static readonly (string Name, byte RateCode, int Decimation)[] Rates = [("25 Hz", 1, 4), ("100 Hz", 3, 1)];

    public static Command Create()
    {
        var protocol = new Command("protocol", "The wristband protocol: measurements of the codec.");
        protocol.Subcommands.Add(Compression());
        return protocol;
    }

    private static Command Compression()
    {
        var minutes = new Option<double>("--minutes") { Description = "Minutes of generated motion per activity and rate.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the motion generator.", DefaultValueFactory = _ => 1 };
        var selfback = new Option<string?>("--selfback") { Description = "A selfBACK folder (walk_mod/, sitting/ of 100 Hz .csv.gz): measure those recordings too (25 Hz keeps every 4th sample)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per figure, one per line." };
        var command = new Command("compression", "Bytes per sample of stored and live frames vs raw int16 x/y/z, walking and sitting at 25 and 100 Hz.");
        foreach (var option in new Option[] { minutes, seed, selfback, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(minutes), result.GetValue(seed), result.GetValue(selfback), result.GetValue(json))));
        return command;
    }

    private static int Execute(double minutes, int seed, string? selfback, bool json)
    {
        if (minutes <= 0)
        {
            throw new UsageException("--minutes must be positive.");
        }

        var figures = new List<CompressionFigure>();
        foreach (var kind in new[] { MotionKind.Walking, MotionKind.Sitting })
        {
            foreach (var (_, rateCode, _) in Rates)
            {
                double hz = FrameFormat.RateHz(rateCode);
                long samples = (long)Math.Round(minutes * 60 * hz);
                figures.AddRange(CompressionMeter.Measure(
                    $"generated {kind.ToString().ToLowerInvariant()}",
                    () => new MotionSampleSource(new MotionGenerator([new MotionSegment(kind, TimeSpan.FromMinutes(minutes))], hz, seed)),
                    rateCode, 2, Mtus, samples));
            }
        }

        if (selfback is not null)
        {
            foreach (var activity in new[] { "walk_mod", "sitting" })
            {
                var folder = Path.Combine(selfback, activity);
                if (!Directory.Exists(folder))
                {
                    throw new UsageException($"{folder} does not exist: --selfback takes the folder holding walk_mod/ and sitting/.");
                }

                var files = Directory.GetFiles(folder, "*.csv*").Order(StringComparer.Ordinal).ToArray();
                foreach (var (_, rateCode, decimation) in Rates)
                {
                    var perFile = files.SelectMany(file => CompressionMeter.Measure(
                        $"selfBACK {activity} ({files.Length} files)",
                        () => new DecimatedSampleSource(new RecordingSampleSource(file), decimation),
                        rateCode, 2, Mtus, (long)(RecordingMinutes * 60 * FrameFormat.RateHz(rateCode))));
                    figures.AddRange(perFile
                        .GroupBy(f => (f.Source, f.RateHz, f.Mtu))
                        .Select(g => new CompressionFigure(g.Key.Source, g.Key.RateHz, g.Key.Mtu, g.Sum(f => f.Samples), g.Sum(f => f.Frames), g.Sum(f => f.Bytes))));
                }
            }
        }

        if (json)
        {
            WriteJson(figures);
        }
        else
        {
            WriteTable(figures, minutes, seed);
        }

        return 0;
    }

    private static void WriteTable(List<CompressionFigure> figures, double minutes, int seed)
    {
        var table = new Table().AddColumns("source", "rate", "samples", "flash (244-byte frames)");
        foreach (int mtu in Mtus)
        {
            table.AddColumn($"live MTU {mtu}");
        }

        foreach (var group in figures.GroupBy(f => (f.Source, f.RateHz)))
        {
            var cells = new List<string> { group.Key.Source, $"{group.Key.RateHz:G} Hz", $"{group.First().Samples:N0}" };
            cells.AddRange(group.OrderBy(f => f.Mtu).Select(f => $"{f.BytesPerSample:F2} B ({f.CompressionRatio:F2}x)"));
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]Bytes per sample of frames (header and CRC included; not the 3-byte ATT header) against raw int16 x/y/z = 6 B (ratio). " +
                               $"Range ±8 g (4096 counts/g); generated: {minutes:G} min per row, seed {seed}; every notification decoded and checked against flash.[/]");
    }

    private static void WriteJson(List<CompressionFigure> figures)
    {
        using var stdout = Console.OpenStandardOutput();
        foreach (var f in figures)
        {
            using (var writer = new Utf8JsonWriter(stdout))
            {
                writer.WriteStartObject();
                writer.WriteString("source", f.Source);
                writer.WriteNumber("rateHz", f.RateHz);
                writer.WriteString("frames", f.Mtu == 0 ? "flash" : $"live MTU {f.Mtu}");
                writer.WriteNumber("samples", f.Samples);
                writer.WriteNumber("frameCount", f.Frames);
                writer.WriteNumber("bytes", f.Bytes);
                writer.WriteNumber("bytesPerSample", Math.Round(f.BytesPerSample, 4));
                writer.WriteNumber("ratioVsRawInt16", Math.Round(f.CompressionRatio, 4));
                writer.WriteEndObject();
            }

            stdout.WriteByte((byte)'\n');
        }
    }
}
