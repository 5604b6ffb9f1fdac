using System.CommandLine;

namespace Sensing.Cli.Commands;

/// <summary>The list of sub-commands; each lives in its own file and is added here with one line.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ReplayCommand.Create();
        yield return DemoCommand.Create();
        yield return BenchCommand.Create();
        yield return StorageCommands.Create();
        yield return ProtocolCommands.Create();
        yield return ActivityCommands.CreateTrain();
        var eval = ActivityCommands.CreateEval();
        eval.Subcommands.Add(EvalStepsCommand.Create());
        yield return eval;
    }
}
