using Sensing.Recordings;

namespace Sensing.Cli.Commands;

/// <summary>
/// One place that turns the tool's expected failures into a message and an exit code: 2 for bad input or a bad
/// command line (never a stack trace), 1 for anything unexpected.
/// </summary>
internal static class CommandErrors
{
    public const int BadInput = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            Console.Error.WriteLine($"sensing: {ex.Message}");
            return BadInput;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            Console.Error.WriteLine($"sensing: {ex.Message}");
            return BadInput;
        }
    }

    public static bool IsBadInput(Exception ex) => ex is UsageException or RecordingFormatException or InvalidDataException;
}
