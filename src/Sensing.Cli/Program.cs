using System.CommandLine;
using Sensing.Cli.Commands;

namespace Sensing.Cli;

/// <summary>The <c>sensing</c> command-line tool: one sub-command per file in <c>Commands/</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Tables written to a file or a pipe keep their columns instead of wrapping at 80.
            Spectre.Console.AnsiConsole.Profile.Width = 200;
        }

        var root = new RootCommand("Sensing: wristband accelerometer data to daily activity facts.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }
}
