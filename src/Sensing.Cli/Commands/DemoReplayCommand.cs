using System.CommandLine;
using System.Globalization;
using System.Text;
using Sensing.Cli.Replay;
using Sensing.Core;
using Sensing.Recordings;
using Sensing.Simulator.Motion;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing demo replay</c>: a simulated wristband wears a day of the project's own motion model; the recording is
/// written as CSV under the user's data folder and replayed through the same pipeline as any recording, beside the
/// steps the model actually took (no database, no worker).
/// </summary>
internal static class DemoReplayCommand
{
    public static Command Create()
    {
        var hours = new Option<double>("--hours") { Description = "Length of the simulated day, hours (default 24).", DefaultValueFactory = _ => 24 };
        var rate = new Option<double>("--rate") { Description = "Sample rate of the simulated wristband, Hz (default 25).", DefaultValueFactory = _ => 25 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated day (default 1).", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Folder for the generated recording (default: the user's data folder)." };
        var command = new Command("replay", "Simulate a wristband day, write it as a recording and replay it through the pipeline.");
        command.Options.Add(hours);
        command.Options.Add(rate);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(hours), result.GetValue(rate), result.GetValue(seed), result.GetValue(output))));
        return command;
    }

    private static int Execute(double hours, double rateHz, int seed, string? folder)
    {
        if (!(hours > 0) || hours > 24 * 7)
        {
            throw new UsageException($"--hours must be more than 0 and at most a week (168); got {hours}.");
        }

        if (!(rateHz >= 10) || rateHz > 200)
        {
            throw new UsageException($"--rate must be 10 to 200 Hz; got {rateHz}.");
        }

        folder ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sensing", "demo");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"simulated-day-{seed}.csv");
        var script = Truncate(MotionScripts.TypicalDay(seed), TimeSpan.FromHours(hours));
        var trueSteps = WriteRecording(path, script, rateHz, seed);

        var result = RecordingReplay.Run(path, path, new RecordingOptions { TimeUnit = TimeUnit.Milliseconds, Units = AccelerationUnit.G });
        var table = new Table().AddColumns("recording", "duration", "rate (Hz)", "steps taken (model)", "steps counted", "error");
        table.AddRow(
            Markup.Escape(path),
            TimeSpan.FromSeconds(Math.Round(result.DurationSeconds)).ToString(),
            result.SampleRateHz.ToString("0.##", CultureInfo.InvariantCulture),
            trueSteps.ToString("N0", CultureInfo.InvariantCulture),
            result.Steps.ToString("N0", CultureInfo.InvariantCulture),
            trueSteps == 0 ? "-" : $"{100.0 * (result.Steps - trueSteps) / trueSteps:+0.0;-0.0} %");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]The day's script: {Markup.Escape(Describe(script))}.[/]");
        AnsiConsole.MarkupLine($"[grey]Replay it yourself: sensing replay {Markup.Escape(path)} --json[/]");
        return 0;
    }

    private static int WriteRecording(string path, IReadOnlyList<MotionSegment> script, double rateHz, int seed)
    {
        var generator = new MotionGenerator(script, rateHz, seed);
        var block = new SampleBlock(4096);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.WriteLine("time_ms,x,y,z");
        var line = new StringBuilder(64);
        while (generator.Read(block) > 0)
        {
            var t = block.Time;
            for (var i = 0; i < block.Count; i++)
            {
                line.Clear();
                line.Append(CultureInfo.InvariantCulture, $"{t[i] / 1000.0:0.###},{block.X[i]:0.####},{block.Y[i]:0.####},{block.Z[i]:0.####}");
                writer.WriteLine(line);
            }
        }

        return generator.TrueSteps;
    }

    private static List<MotionSegment> Truncate(IReadOnlyList<MotionSegment> day, TimeSpan length)
    {
        var kept = new List<MotionSegment>();
        var left = length;
        foreach (var segment in day)
        {
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            kept.Add(segment.Duration <= left ? segment : segment with { Duration = left });
            left -= segment.Duration;
        }

        if (left > TimeSpan.Zero)
        {
            kept.Add(new MotionSegment(MotionKind.Lying, left));
        }

        return kept;
    }

    private static string Describe(IEnumerable<MotionSegment> script)
        => string.Join(", ", script.GroupBy(s => s.Kind).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Sum(s => s.Duration.TotalMinutes):0} min"));
}
