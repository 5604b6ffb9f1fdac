using System.Diagnostics;
using System.Text.Json;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary>The built <c>sensing</c> tool run as a user runs it: a separate process, its output and exit code.</summary>
internal static class SensingProcess
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "sensing.dll");

    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Each non-empty stdout line parsed as JSON.</summary>
        public IReadOnlyList<JsonElement> JsonLines()
            => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    public static Outcome Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Tool);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sensing {string.Join(' ', arguments)} did not finish in 5 minutes");
        }

        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Outcome Run(TempFolder folder, params string[] arguments) => Run(folder.Path, arguments);
}
