using System.Diagnostics;
using System.Text.Json;
using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary>The built <c>sensing</c> tool run as a user runs it: a separate process, its output and exit code.</summary>
internal static class SensingProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Each non-empty stdout line parsed as JSON.</summary>
        public IReadOnlyList<JsonElement> JsonLines()
            => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    public static Outcome Run(string workingDirectory, params string[] arguments)
    {
        using var process = Process.Start(SensingTool.StartInfo(workingDirectory, arguments))!;
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
