using System.Diagnostics;

namespace Sensing.Testing;

/// <summary>How tests start the built <c>sensing</c> tool (copied beside the test assembly by a project reference to the CLI).</summary>
public static class SensingTool
{
    /// <summary>The tool's assembly in the test's output folder.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "sensing.dll");

    /// <summary>A start description for <c>dotnet sensing.dll ARGS</c> with output redirected.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }
}
