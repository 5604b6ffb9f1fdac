using Sensing.Cli.Evaluation;
using Sensing.Recordings;

namespace Sensing.Cli.Replay;

/// <summary>
/// Expands the PATH arguments of a command: files as given, folders recursed in sorted order, leaving out the step
/// truth that travels beside a recording (it is <c>eval steps</c>'s, not a recording). A folder without recordings
/// stays in the list, so that it is reported, not skipped in silence.
/// </summary>
internal static class RecordingPaths
{
    /// <summary>
    /// (path to open, path to show, whether it is a folder that held no recording): a file inside a given folder is
    /// shown as that folder joined with its relative path.
    /// </summary>
    public static IEnumerable<(string Path, string Display, bool EmptyFolder)> Expand(IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                    .Where(f => RecordingReader.IsRecording(f) && !StepTruth.IsFootSwitchLog(f))
                    .Select(f => Path.GetRelativePath(argument, f))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                foreach (var relative in files)
                {
                    yield return (Path.Combine(argument, relative), Path.Combine(argument, relative), false);
                }

                if (files.Count == 0)
                {
                    // The folder itself, which its reader refuses, saying what the folder holds instead.
                    yield return (argument, argument, true);
                }
            }
            else
            {
                yield return (argument, argument, false);
            }
        }
    }
}
