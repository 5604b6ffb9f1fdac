using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
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

        // One rate is measured here; several each in a process of their own. Dynamic PGO tunes the hot code to the
        // first workload it meets: measured after 12.5 Hz (where every group is one sample), the 100 Hz steps ran
        // about 15 % slower than in a process of their own. BenchmarkDotNet isolates its benchmarks the same way.
        var figures = rates.Length == 1 ? MeasureRate(rates[0], only) : [.. rates.SelectMany(rate => MeasureInOwnProcess(rate, only))];
        if (json)
        {
            foreach (var figure in figures)
            {
                WriteJsonLine(figure);
            }

            return 0;
        }

        var table = new Table().AddColumns("pipeline", "input rate", "samples/s (1 core)", "memory read samples/s", "ratio");
        foreach (var (pipeline, rate, samplesPerSecond, memory) in figures)
        {
            table.AddRow(pipeline, $"{rate} Hz", $"{samplesPerSecond / 1e6:N1} M", $"{memory / 1e6:N1} M", $"{samplesPerSecond / memory:P1}");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}; single-threaded; {(rates.Length == 1 ? "one process" : "a process per input rate")}.[/]");
        return 0;
    }

    private static List<BenchFigure> MeasureRate(double rate, string? only)
    {
        // A day of wristband data per pass: at 100 Hz 52 MB of counts, which leaves every cache, as a gateway's many
        // wristbands do.
        var workload = new PipelineWorkload(rate, (int)(rate * 86_400));
        var pipelines = new (string Name, Func<long> Pass)[] { ("steps", workload.RunSteps), ("steps+activity", workload.RunStepsAndActivity) }
            .Where(p => only is null || p.Name == only)
            .ToList();
        var best = Measure(workload.Samples, [workload.ReadMemory, .. pipelines.Select(p => p.Pass)], Budget * (1 + pipelines.Count));
        return [.. pipelines.Select((p, i) => new BenchFigure(p.Name, rate, best[i + 1], best[0]))];
    }

    // This command again, for one rate, with its JSON lines read back.
    private static List<BenchFigure> MeasureInOwnProcess(double rate, string? only)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        }

        foreach (var argument in new[] { "bench", "--json", "--rate", rate.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (only is not null)
        {
            start.ArgumentList.Add("--pipeline");
            start.ArgumentList.Add(only);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self} to measure {rate} Hz");
        var error = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the measurement at {rate} Hz failed (exit code {process.ExitCode}): {error.Result.Trim()}");
        }

        return [.. lines.Select(line =>
        {
            using var figure = JsonDocument.Parse(line);
            var root = figure.RootElement;
            return new BenchFigure(root.GetProperty("pipeline").GetString()!, rate, root.GetProperty("samplesPerSecond").GetDouble(), root.GetProperty("memoryReadSamplesPerSecond").GetDouble());
        })];
    }

    private static void WriteJsonLine(BenchFigure figure)
    {
        using var stdout = Console.OpenStandardOutput();
        JsonLines.Write(stdout, writer =>
        {
            writer.WriteString("pipeline", figure.Pipeline);
            writer.WriteNumber("inputRateHz", figure.RateHz);
            writer.WriteNumber("samplesPerSecond", Math.Round(figure.SamplesPerSecond));
            writer.WriteNumber("memoryReadSamplesPerSecond", Math.Round(figure.MemoryReadSamplesPerSecond));
            writer.WriteNumber("ratio", Math.Round(figure.SamplesPerSecond / figure.MemoryReadSamplesPerSecond, 4));
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

    private sealed record BenchFigure(string Pipeline, double RateHz, double SamplesPerSecond, double MemoryReadSamplesPerSecond);
}
