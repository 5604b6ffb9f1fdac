using System.CommandLine;
using System.Text.Json;
using Sensing.Cli.Replay;
using Sensing.Core;
using Sensing.Pipeline;
using Sensing.Recordings;
using Sensing.Signal.Steps;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary><c>sensing replay PATH... [--json]</c>: recordings through the pipeline, one result per recording.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "Recordings (.csv, .csv.gz, .cwa) or folders (recursed, sorted)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per recording, one per line." };
        var epochs = new Option<bool>("--epochs") { Description = "With --json, also one line per minute: start, steps, dominant class, seconds per class." };
        var rhythm = new Option<bool>("--rhythm")
        {
            Description = "With --json, also one line per second the step counter judged: the rhythm it read (RMS, autocorrelation, step period, steadiness) and the walking gate's state.",
        };
        var counterOnly = PipelineChoice.CounterOnlyOption();
        var recording = new RecordingOptionsBinding();
        var command = new Command("replay", "Replay recordings through the step pipeline and report what it counts.");
        command.Arguments.Add(paths);
        command.Options.Add(json);
        command.Options.Add(epochs);
        command.Options.Add(rhythm);
        command.Options.Add(counterOnly);
        recording.AddTo(command);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(paths)!, result.GetValue(json), new JsonDetail(result.GetValue(epochs), result.GetValue(rhythm)),
            PipelineChoice.Options(result.GetValue(counterOnly)), recording.Bind(result))));
        return command;
    }

    private static int Execute(string[] arguments, bool json, JsonDetail detail, WristbandPipelineOptions pipeline, RecordingOptions options)
    {
        if (!json && (detail.Minutes || detail.Seconds))
        {
            throw new UsageException($"{(detail.Minutes ? "--epochs" : "--rhythm")} writes JSON lines; give --json with it.");
        }

        var files = RecordingPaths.Expand(arguments).ToList();
        var failures = 0;
        var results = new List<ReplayResult>();
        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            foreach (var (path, display, _) in files)
            {
                if (TryReplay(path, display, options, pipeline, detail, out var result))
                {
                    WriteJsonLine(stdout, result);
                    foreach (var minute in result.Minutes ?? [])
                    {
                        WriteMinuteLine(stdout, result, minute);
                    }

                    foreach (var second in result.Seconds ?? [])
                    {
                        WriteSecondLine(stdout, result, second);
                    }
                }
                else
                {
                    failures++;
                }
            }

            return failures > 0 ? CommandErrors.BadInput : 0;
        }

        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("replaying", maxValue: Math.Max(1, files.Count));
                foreach (var (path, display, _) in files)
                {
                    task.Description = Markup.Escape(Path.GetFileName(path));
                    if (TryReplay(path, display, options, pipeline, default, out var result))
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
        if (results.Count > 0)
        {
            WriteTable(results);
        }

        if (failures > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(FailureSummary(files.Count, files.Count(f => f.EmptyFolder), failures))}[/]");
        }

        return failures > 0 ? CommandErrors.BadInput : 0;
    }

    // A folder that held no recording is reported as such, not as a recording that failed.
    private static string FailureSummary(int paths, int emptyFolders, int failures)
    {
        var unreadable = failures - emptyFolders;
        var parts = new List<string>();
        if (unreadable > 0)
        {
            parts.Add($"{unreadable} of {paths - emptyFolders} recording(s) could not be read");
        }

        if (emptyFolders > 0)
        {
            parts.Add($"{emptyFolders} folder(s) held no recording");
        }

        return $"{string.Join("; ", parts)}; the messages above say why.";
    }

    private static bool TryReplay(string path, string display, RecordingOptions options, WristbandPipelineOptions pipeline, JsonDetail detail,
        out ReplayResult result)
    {
        try
        {
            result = RecordingReplay.Run(path, display, options, pipeline, collectMinutes: detail.Minutes, collectSeconds: detail.Seconds);
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
        JsonLines.Write(output, writer =>
        {
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
            writer.WriteNumber("droppedSamples", result.Timeline.DroppedSamples);
            writer.WriteNumber("skipped", result.Timeline.CorruptUnits); // damaged rows or .cwa blocks, left out
            writer.WriteEndObject();
            writer.WriteNumber("counterSteps", result.CounterSteps);
            writer.WriteStartObject("activitySeconds");
            foreach (var (activity, seconds) in result.ActivitySeconds)
            {
                writer.WriteNumber(activity.Name(), seconds);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("notes");
            foreach (var note in result.Info.Notes)
            {
                writer.WriteStringValue(note);
            }

            writer.WriteEndArray();
        });
    }

    internal static void WriteMinuteLine(Stream output, ReplayResult result, MinuteEpoch minute)
    {
        JsonLines.Write(output, writer =>
        {
            WriteTimedLineStart(writer, result, "minute", minute.StartMicros);
            writer.WriteNumber("steps", minute.Steps);
            writer.WriteString("dominant", minute.Dominant.Name());
            writer.WriteStartObject("seconds");
            foreach (var activity in ActivityClassNames.All)
            {
                writer.WriteNumber(activity.Name(), minute.SecondsOf(activity));
            }

            writer.WriteEndObject();
        });
    }

    internal static void WriteSecondLine(Stream output, ReplayResult result, JudgedSecond second)
    {
        JsonLines.Write(output, writer =>
        {
            WriteTimedLineStart(writer, result, "second", second.StartMicros);
            writer.WriteNumber("rmsG", Math.Round(second.RmsG, 4));
            writer.WriteNumber("secondRmsG", Math.Round(second.SecondRmsG, 4));
            writer.WriteNumber("strength", Math.Round(second.Strength, 3));
            writer.WriteNumber("stepPeriodSeconds", Math.Round(second.StepPeriodSeconds, 3));
            writer.WriteNumber("steadiness", Math.Round(second.Steadiness, 3));
            writer.WriteString("gate", second.State.ToString().ToLowerInvariant());
            writer.WriteNumber("steps", second.Steps);
        });
    }

    // What every line after a recording's starts with: whose it is, what it describes, and when that starts.
    private static void WriteTimedLineStart(Utf8JsonWriter writer, ReplayResult result, string type, long startMicros)
    {
        writer.WriteString("file", result.File);
        writer.WriteString("type", type);
        writer.WriteNumber("startSeconds", startMicros / 1_000_000);
        if (RecordingTime.Format(result.Info.Clock, startMicros) is { } start)
        {
            writer.WriteString("start", start);
        }
    }

    // The extra JSON lines asked for after each recording's: its minutes, the seconds the step counter judged.
    private readonly record struct JsonDetail(bool Minutes, bool Seconds);

    // The two classes that filled most of the recording, as "walking 61 %, sitting 30 %".
    private static string MostOfTheTime(ReplayResult result)
    {
        var total = result.ActivitySeconds.Values.Sum();
        return total == 0 ? "-" : string.Join(", ", result.ActivitySeconds.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Take(2)
            .Select(p => $"{p.Key.Name()} {100.0 * p.Value / total:0} %"));
    }

    private static void WriteTable(List<ReplayResult> results)
    {
        var table = new Table().AddColumns("recording", "samples", "duration", "rate (Hz)", "steps", "most of the time", "timeline");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.File),
                r.Samples.ToString("N0"),
                TimeSpan.FromSeconds(Math.Round(r.DurationSeconds)).ToString(),
                r.SampleRateHz.ToString("0.##"),
                r.Steps.ToString("N0"),
                Markup.Escape(MostOfTheTime(r)),
                Markup.Escape(r.Timeline.Describe()));
        }

        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.Info.Notes.Count > 0))
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(r.File)}: {Markup.Escape(string.Join("; ", r.Info.Notes))}[/]");
        }
    }
}
