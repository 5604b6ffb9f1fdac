namespace Sensing.Recordings;

/// <summary>A recording that cannot be read as given. The message names the file, the line (when known) and what was wrong.</summary>
public sealed class RecordingFormatException : Exception
{
    public RecordingFormatException(string path, long line, string problem)
        : base(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}")
    {
        FilePath = path;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file, as given.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or 0 when the problem is not tied to a line.</summary>
    public long Line { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }
}
