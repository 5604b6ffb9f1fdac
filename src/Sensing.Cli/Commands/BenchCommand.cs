using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sensing.Pipeline.Benchmarking;
using Spectre.Console;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing bench [--json]</c>: a quick self-timed run (well under a minute) of each pipeline on one core,
/// printed beside a plain vectorised read of the same buffer (the physical limit) and their ratio.
/// </summary>
internal static class BenchCommand
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    // The pipelines' input range: a rate outside it would time something the pipelines are not made for.
    private const double MinRateHz = 10;
    private const double MaxRateHz = 200;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per pipeline measured, one per line." };
        var rates = new Option<double[]>("--rate") { Description = "Input rates to measure (Hz, 10-200); default 12.5, 25, 100.", AllowMultipleArgumentsPerToken = true };
        var only = new Option<string?>("--pipeline") { Description = "Measure only this pipeline: steps or steps+activity." };
        var command = new Command("bench", "Measure input samples per second per core of the pipelines against the memory-read limit.");
        command.Options.Add(json);
        command.Options.Add(rates);
        command.Options.Add(only);
        command.SetAction(result => CommandErrors.Run(() => Execute(result.GetValue(json), result.GetValue(rates) is { Length: > 0 } r ? r : [12.5, 25, 100], result.GetValue(only))));
        return command;
    }

    private static int Execute(bool json, double[] rates, string? only)
    {
        if (only is not null && only != "steps" && only != "steps+activity")
        {
            throw new UsageException($"--pipeline must be steps or steps+activity; got '{only}'.");
        }

        foreach (var rate in rates)
        {
            if (!(rate >= MinRateHz && rate <= MaxRateHz))
            {
                throw new UsageException($"--rate must be a wristband's input rate, {MinRateHz}-{MaxRateHz} Hz; got {rate}.");
            }
        }

        var table = new Table().AddColumns("pipeline", "input rate", "samples/s (1 core)", "memory read samples/s", "ratio");
        foreach (var rate in rates)
        {
            // A day of wristband data per pass: at 100 Hz 52 MB of counts, which leaves every cache, as a gateway's
            // many wristbands do.
            var workload = new PipelineWorkload(rate, (int)(rate * 86_400));
            var pipelines = new (string Name, Func<long> Pass)[] { ("steps", workload.RunSteps), ("steps+activity", workload.RunStepsAndActivity) }
                .Where(p => only is null || p.Name == only)
                .ToList();
            var best = Measure(workload.Samples, [workload.ReadMemory, .. pipelines.Select(p => p.Pass)], Budget * (1 + pipelines.Count));
            var memory = best[0];
            for (var p = 0; p < pipelines.Count; p++)
            {
                var (name, pipeline) = (pipelines[p].Name, best[p + 1]);
                if (json)
                {
                    WriteJsonLine(name, rate, pipeline, memory);
                }
                else
                {
                    table.AddRow(name, $"{rate} Hz", $"{pipeline / 1e6:N1} M", $"{memory / 1e6:N1} M", $"{pipeline / memory:P1}");
                }
            }
        }

        if (!json)
        {
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}; single-threaded.[/]");
        }

        return 0;
    }

    private static void WriteJsonLine(string pipeline, double rate, double samplesPerSecond, double memory)
    {
        using var stdout = Console.OpenStandardOutput();
        JsonLines.Write(stdout, writer =>
        {
            writer.WriteString("pipeline", pipeline);
            writer.WriteNumber("inputRateHz", rate);
            writer.WriteNumber("samplesPerSecond", Math.Round(samplesPerSecond));
            writer.WriteNumber("memoryReadSamplesPerSecond", Math.Round(memory));
            writer.WriteNumber("ratio", Math.Round(samplesPerSecond / memory, 4));
        });
    }

    // Best of repeated timed passes of each, in turn, within the budget, after one warm-up pass of each (JIT tiers
    // settle): taken in turn, the passes share the machine's ups and downs (a virtual machine's speed can change
    // by a third from one minute to the next), so a pipeline and the memory read it is set against are measured alike.
    private static double[] Measure(int samples, Func<long>[] passes, TimeSpan budget)
    {
        var sink = 0L;
        foreach (var pass in passes)
        {
            sink ^= pass();
        }

        var best = Enumerable.Repeat(double.MaxValue, passes.Length).ToArray();
        var total = Stopwatch.StartNew();
        for (var runs = 0; total.Elapsed < budget || runs < 3; runs++)
        {
            for (var i = 0; i < passes.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                sink ^= passes[i]();
                best[i] = Math.Min(best[i], watch.Elapsed.TotalSeconds);
            }
        }

        GC.KeepAlive(sink);
        return [.. best.Select(seconds => samples / seconds)];
    }
}
