using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sensing.Storage.Influx;

/// <summary>
/// A private <c>influxd</c> (Debian's 1.6.7 package) for tests, benchmarks and soaks: its own config, data, meta and
/// WAL directories under a temporary folder, HTTP and RPC bound to free loopback ports, started and stopped by
/// this object (never a system service). Stop, kill and start again keep the ports and the data.
/// </summary>
public sealed partial class LocalInfluxServer : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly string _influxd;
    private readonly bool _ownsRoot;
    private Process? _process;

    private LocalInfluxServer(string influxd, string root, int httpPort, int rpcPort, bool authEnabled, string extraHttpConfig, bool ownsRoot)
    {
        _influxd = influxd;
        _ownsRoot = ownsRoot;
        Root = root;
        HttpPort = httpPort;
        RpcPort = rpcPort;
        ConfigPath = Path.Combine(root, "influxdb.conf");
        LogPath = Path.Combine(root, "influxd.log");
        File.WriteAllText(ConfigPath, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{Path.Combine(root, "meta")}"
              logging-enabled = false
            [data]
              dir = "{Path.Combine(root, "data")}"
              wal-dir = "{Path.Combine(root, "wal")}"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [subscriber]
              enabled = false
            [continuous_queries]
              log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              auth-enabled = {(authEnabled ? "true" : "false")}
              log-enabled = false
              pprof-enabled = false
            {extraHttpConfig}
            [logging]
              level = "warn"
              suppress-logo = true
            """);
    }

    /// <summary>The temporary folder holding config, data, meta, WAL and log.</summary>
    public string Root { get; }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The RPC (backup/restore) port on 127.0.0.1.</summary>
    public int RpcPort { get; }

    /// <summary>The generated config file.</summary>
    public string ConfigPath { get; }

    /// <summary>influxd's stdout and stderr.</summary>
    public string LogPath { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The influxd binary on PATH (or /usr/bin/influxd), null when not installed.</summary>
    public static string? FindInfluxd()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(dir, "influxd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Creates the folder and config and starts influxd; returns once /ping answers.</summary>
    /// <param name="authEnabled">Turn on authentication (the first admin user can be created without credentials).</param>
    /// <param name="extraHttpConfig">Extra lines for the [http] section (e.g. <c>max-body-size = 1000</c>).</param>
    /// <param name="root">A folder to keep the server's data in (kept after dispose; the demo's); null for a temporary one (deleted).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="InvalidOperationException">influxd is not installed, or did not answer /ping.</exception>
    public static async Task<LocalInfluxServer> StartAsync(bool authEnabled = false, string extraHttpConfig = "", string? root = null,
        CancellationToken cancellationToken = default)
    {
        var influxd = FindInfluxd() ?? throw new InvalidOperationException(
            "influxd is not installed (looked on PATH and in /usr/bin). Install Debian's InfluxDB 1.6 with " +
            "'apt-get update && apt-get install -y influxdb influxdb-client', as the README's test command does.");
        var ownsRoot = root is null;
        root ??= Path.Combine(Path.GetTempPath(), $"sensing-influxd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var server = new LocalInfluxServer(influxd, root, FreePort(), FreePort(), authEnabled, extraHttpConfig, ownsRoot);
        await server.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts influxd again on the same ports and data (after <see cref="StopAsync"/> or <see cref="Kill"/>).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec '{_influxd}' -config '{ConfigPath}' >> '{LogPath}' 2>&1" },
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start influxd.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with code {_process.ExitCode} at start; log {LogPath}:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "ping"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow start.
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"influxd did not answer /ping on {BaseUri} within 30 s; log {LogPath}:\n{Tail()}");
    }

    /// <summary>Stops influxd gracefully (SIGTERM), killing it after 15 s.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        _ = Kill(_process!.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills influxd at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (IsRunning)
        {
            _process!.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>Stops influxd and deletes its folder (unless the folder was given to <see cref="StartAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process?.Dispose();
        if (!_ownsRoot)
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test run.
        }
    }

    private string Tail()
    {
        if (!File.Exists(LogPath))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(LogPath);
        return text.Length > 2000 ? text[^2000..] : text;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
