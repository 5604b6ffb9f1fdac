using System.CommandLine;
using Sensing.Cli.Commands;

namespace Sensing.Cli;

/// <summary>The <c>sensing</c> command-line tool: one sub-command per file in <c>Commands/</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Sensing: wristband accelerometer data to daily activity facts.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }
}
