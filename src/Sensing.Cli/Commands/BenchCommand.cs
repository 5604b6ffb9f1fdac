using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sensing.Signal.Benchmarking;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing bench [--json]</c>: a quick self-timed run (well under a minute) of each pipeline on one core,
/// printed beside a plain vectorised read of the same buffer (the physical limit) and their ratio.
/// </summary>
internal static class BenchCommand
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per pipeline measured, one per line." };
        var rates = new Option<double[]>("--rate") { Description = "Input rates to measure (Hz); default 12.5, 25, 100.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("bench", "Measure input samples per second per core of the pipelines against the memory-read limit.");
        command.Options.Add(json);
        command.Options.Add(rates);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(json), result.GetValue(rates) is { Length: > 0 } r ? r : [12.5, 25, 100])));
        return command;
    }

    private static int Execute(bool json, double[] rates)
    {
        var table = new Table().AddColumns("pipeline", "input rate", "samples/s (1 core)", "memory read samples/s", "ratio");
        foreach (var rate in rates)
        {
            // One hour of wristband data per pass: large enough to leave the caches, small enough to repeat.
            var workload = new StepPipelineWorkload(rate, (int)(rate * 3600));
            var pipeline = Measure(workload.Samples, () => workload.RunSteps());
            var memory = Measure(workload.Samples, () => workload.ReadMemory());
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                using (var writer = new Utf8JsonWriter(stdout))
                {
                    writer.WriteStartObject();
                    writer.WriteString("pipeline", "steps");
                    writer.WriteNumber("inputRateHz", rate);
                    writer.WriteNumber("samplesPerSecond", Math.Round(pipeline));
                    writer.WriteNumber("memoryReadSamplesPerSecond", Math.Round(memory));
                    writer.WriteNumber("ratio", Math.Round(pipeline / memory, 4));
                    writer.WriteEndObject();
                }

                stdout.WriteByte((byte)'\n');
            }
            else
            {
                table.AddRow("steps", $"{rate} Hz", $"{pipeline / 1e6:N1} M", $"{memory / 1e6:N1} M", $"{pipeline / memory:P1}");
            }
        }

        if (!json)
        {
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}; single-threaded.[/]");
        }

        return 0;
    }

    // Best of repeated timed passes within the budget, after one warm-up pass (JIT tiers settle).
    private static double Measure(int samples, Func<long> pass)
    {
        var sink = pass();
        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        var runs = 0;
        while (total.Elapsed < Budget || runs < 3)
        {
            var watch = Stopwatch.StartNew();
            sink ^= pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            runs++;
        }

        GC.KeepAlive(sink);
        return samples / best;
    }
}
