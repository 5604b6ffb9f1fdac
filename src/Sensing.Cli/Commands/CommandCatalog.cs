using System.CommandLine;

namespace Sensing.Cli.Commands;

/// <summary>The list of sub-commands; each lives in its own file and is added here with one line.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ReplayCommand.Create();
        yield return DemoCommand.Create();
        yield return RunCommand.Create();
        yield return SimulateCommand.Create();
        var bench = BenchCommand.Create();
        bench.Subcommands.Add(BenchIngestCommand.Create());
        yield return bench;
        yield return StorageCommands.Create();
        yield return ProtocolCommands.Create();
        yield return ActivityCommands.CreateTrain();
        var eval = ActivityCommands.CreateEval();
        eval.Subcommands.Add(EvalStepsCommand.Create());
        yield return eval;
    }
}
