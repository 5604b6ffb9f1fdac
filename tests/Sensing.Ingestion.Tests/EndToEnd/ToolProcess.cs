using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Sensing.Testing;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>The built <c>sensing</c> tool as a separate, long-running process: started, killed with SIGKILL or stopped with SIGTERM.</summary>
internal sealed partial class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ToolProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ToolProcess Start(string workingDirectory, params string[] arguments)
    {
        var process = new ToolProcess(Process.Start(SensingTool.StartInfo(workingDirectory, arguments))!);
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the graceful stop.</summary>
    public int Stop(TimeSpan timeout)
    {
        _ = Signal(_process.Id, 15);
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new TimeoutException($"sensing did not stop within {timeout} after SIGTERM:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Signal(int pid, int signal);
}
