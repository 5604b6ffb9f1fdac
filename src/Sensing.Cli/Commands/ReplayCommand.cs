using System.CommandLine;
using System.Text.Json;
using Sensing.Cli.Replay;
using Sensing.Recordings;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary><c>sensing replay PATH... [--json]</c>: recordings through the pipeline, one result per recording.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "Recordings (.csv, .csv.gz, .cwa) or folders (recursed, sorted)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per recording, one per line." };
        var recording = new RecordingOptionsBinding();
        var command = new Command("replay", "Replay recordings through the step pipeline and report what it counts.");
        command.Arguments.Add(paths);
        command.Options.Add(json);
        recording.AddTo(command);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(paths)!, result.GetValue(json), recording.Bind(result))));
        return command;
    }

    private static int Execute(string[] arguments, bool json, RecordingOptions options)
    {
        var files = RecordingPaths.Expand(arguments).ToList();
        var failures = 0;
        var results = new List<ReplayResult>();
        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            foreach (var (path, display) in files)
            {
                if (TryReplay(path, display, options, null, out var result))
                {
                    WriteJsonLine(stdout, result);
                }
                else
                {
                    failures++;
                }
            }

            return failures > 0 ? CommandErrors.BadInput : 0;
        }

        var totalBytes = files.Sum(f => File.Exists(f.Path) ? new FileInfo(f.Path).Length : 0);
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("replaying", maxValue: Math.Max(1, files.Count));
                foreach (var (path, display) in files)
                {
                    task.Description = Markup.Escape(Path.GetFileName(path));
                    if (TryReplay(path, display, options, null, out var result))
                    {
                        results.Add(result);
                    }
                    else
                    {
                        failures++;
                    }

                    task.Increment(1);
                }
            });
        _ = totalBytes;
        WriteTable(results);
        return failures > 0 ? CommandErrors.BadInput : 0;
    }

    private static bool TryReplay(string path, string display, RecordingOptions options, Action<long>? progress, out ReplayResult result)
    {
        try
        {
            result = RecordingReplay.Run(path, display, options, progress: progress);
            return true;
        }
        catch (Exception ex) when (CommandErrors.IsBadInput(ex))
        {
            Console.Error.WriteLine($"sensing: {ex.Message}");
            result = null!;
            return false;
        }
    }

    internal static void WriteJsonLine(Stream output, ReplayResult result)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("file", result.File);
            writer.WriteNumber("samples", result.Samples);
            writer.WriteNumber("durationSeconds", Math.Round(result.DurationSeconds, 3));
            writer.WriteNumber("sampleRateHz", Math.Round(result.SampleRateHz, 3));
            writer.WriteNumber("steps", result.Steps);
            writer.WriteStartObject("timeline");
            writer.WriteNumber("gaps", result.Timeline.Gaps);
            writer.WriteNumber("gapSeconds", Math.Round(result.Timeline.GapSeconds, 3));
            writer.WriteNumber("backwardSteps", result.Timeline.BackwardSteps);
            writer.WriteNumber("clockResets", result.Timeline.ClockResets);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static void WriteTable(List<ReplayResult> results)
    {
        var table = new Table().AddColumns("recording", "samples", "duration", "rate (Hz)", "steps", "timeline");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.File),
                r.Samples.ToString("N0"),
                TimeSpan.FromSeconds(Math.Round(r.DurationSeconds)).ToString(),
                r.SampleRateHz.ToString("0.##"),
                r.Steps.ToString("N0"),
                Markup.Escape(r.Timeline.Describe()));
        }

        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.Info.Notes.Count > 0))
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(r.File)}: {Markup.Escape(string.Join("; ", r.Info.Notes))}[/]");
        }
    }
}
