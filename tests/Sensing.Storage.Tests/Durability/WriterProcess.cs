using System.Diagnostics;
using Sensing.Testing;

namespace Sensing.Storage.Tests.Durability;

/// <summary>The Sensing.Storage.Writer process: started, killed with SIGKILL, started again.</summary>
internal sealed class WriterProcess : IDisposable
{
    private readonly string _arguments;
    private readonly string _log;
    private Process? _process;

    public WriterProcess(string arguments, string log)
    {
        _arguments = arguments;
        _log = log;
    }

    public int Starts { get; private set; }

    public bool HasExited => _process is null || _process.HasExited;

    public int ExitCode => _process!.ExitCode;

    public static string Dll()
    {
        // Same configuration as this test assembly: .../tests/Sensing.Storage.Tests/bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(SharedData.RepoRoot, "tests", "Sensing.Storage.Writer", "bin", configuration, "net10.0", "Sensing.Storage.Writer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Writer process not built at {path}; build tests/Sensing.Storage.Tests (it references the writer).");
    }

    public void Start()
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec dotnet '{Dll()}' {_arguments} >> '{_log}' 2>&1" },
            UseShellExecute = false,
        };
        _process?.Dispose();
        _process = Process.Start(start)!;
        Starts++;
    }

    /// <summary>kill -9: no chance to flush, close or finish anything.</summary>
    public void Kill()
    {
        if (!HasExited)
        {
            _process!.Kill();
            _process.WaitForExit();
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process!.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
