using Xunit;

namespace Sensing.Testing;

/// <summary>
/// Locates the public recordings in <c>../shared/data</c> beside the project checkout. They are never copied into
/// the project: tests that need them are skipped, with a message saying so, where the folder is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The absolute path of <c>shared/data</c>, or null when it is not beside this checkout.</summary>
    public static string? DataRoot => Root.Value;

    /// <summary>The repository root (the folder holding <c>Sensing.sln</c>).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The absolute path of a sub-folder of the shared data, or null when absent.</summary>
    public static string? Folder(string relative)
    {
        if (DataRoot is null)
        {
            return null;
        }

        var path = Path.Combine(DataRoot, relative);
        return Directory.Exists(path) || File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The Bangle.js recordings (<c>wrist-steps-banglejs/*.csv</c>, not its manifest) and, when <paramref name="selfback"/>
    /// names activities, the first <paramref name="perActivity"/> selfBACK recordings of each, as (folder, file relative
    /// to it, counts per g: 8192 for the Bangle.js raw counts, null for selfBACK's g) in name order; none of a folder
    /// that is absent.
    /// </summary>
    public static IEnumerable<(string Folder, string File, double? CountsPerG)> WristRecordings(string[] selfback, int perActivity)
    {
        if (Folder("wrist-steps-banglejs") is { } bangle)
        {
            foreach (var file in Directory.GetFiles(bangle, "*.csv").Where(f => !f.EndsWith("manifest.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                yield return ("wrist-steps-banglejs", Path.GetFileName(file), 8192);
            }
        }

        if (Folder("wrist-activity-selfback") is { } root)
        {
            foreach (var activity in selfback)
            {
                foreach (var file in Directory.GetFiles(Path.Combine(root, activity), "*.csv.gz").Order(StringComparer.Ordinal).Take(perActivity))
                {
                    yield return ("wrist-activity-selfback", Path.Combine(activity, Path.GetFileName(file)), null);
                }
            }
        }
    }

    /// <summary>The message a skipped test shows.</summary>
    public static string SkipMessage(string relative)
        => $"skipped: ../shared/data/{relative} is not beside this checkout ({RepoRoot}); these tests need the shared recordings.";

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sensing.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static string? FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SENSING_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
        return Directory.Exists(beside) ? beside : null;
    }
}

/// <summary>A fact that needs a folder of <c>../shared/data</c>; skipped with a clear message when it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relative)
    {
        if (SharedData.Folder(relative) is null)
        {
            Skip = SharedData.SkipMessage(relative);
        }
    }
}

/// <summary>A theory that needs a folder of <c>../shared/data</c>; skipped with a clear message when it is absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(string relative)
    {
        if (SharedData.Folder(relative) is null)
        {
            Skip = SharedData.SkipMessage(relative);
        }
    }
}
