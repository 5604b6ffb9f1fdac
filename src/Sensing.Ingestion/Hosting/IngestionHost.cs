using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensing.Ingestion.Processing;
using Sensing.Ingestion.Sessions;
using Sensing.Ingestion.Simulation;
using Sensing.Ingestion.Transport;
using Sensing.Storage.Diagnostics;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// Builds the worker on the .NET Generic Host (through ASP.NET Core's web host, for the health endpoint):
/// configuration from appsettings.json, environment variables and the command line; console logging; the
/// <see cref="IngestionService"/>; <c>GET /health</c>, <c>GET /bands</c> and <c>GET /metrics</c> (OpenTelemetry).
/// </summary>
public static class IngestionHost
{
    /// <summary>The .NET runtime's own meter (GC heap by generation, working set, CPU time), exported beside ours.</summary>
    private const string RuntimeMeterName = "System.Runtime";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Builds the host; <c>Run</c> it, or <c>StartAsync</c>/<c>StopAsync</c> it.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the key.</exception>
    /// <exception cref="FormatException">A band address is invalid.</exception>
    /// <exception cref="InvalidDataException">The manifest file is unreadable.</exception>
    public static WebApplication Build(string[] args, IngestionHostSetup? setup = null, IDictionary<string, string?>? overrides = null)
    {
        setup ??= new IngestionHostSetup();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ApplicationName = "sensing" });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        var options = new WorkerOptions();
        builder.Configuration.GetSection(WorkerOptions.Section).Bind(options);
        var endpoints = Endpoints(options, setup);
        if (!string.IsNullOrWhiteSpace(options.Health))
        {
            builder.WebHost.UseUrls(options.Health);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(setup);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(sp => new IngestionMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton(sp => new StorageMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton(_ => new MetricsText(IngestionMetrics.MeterName, StorageMetrics.MeterName, RuntimeMeterName));
        builder.Services.AddSingleton<IngestionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestionService>());

        var app = builder.Build();
        _ = app.Services.GetRequiredService<MetricsText>(); // listen from the start: measurements before a listener are not kept
        app.MapGet("/health", (IngestionService service) => Health(service));
        app.MapGet("/bands", (IngestionService service) => Results.Json(service.Runtime?.Snapshot() ?? [], Json));
        app.MapGet("/metrics", (MetricsText metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
        return app;
    }

    /// <summary>The bands of the configuration and of the manifest; the manifest's simulated clock, when it has one.</summary>
    public static IReadOnlyList<BandEndpoint> Endpoints(WorkerOptions options, IngestionHostSetup setup)
    {
        var bands = new List<WorkerOptions.BandSection>(options.Bands);
        if (!string.IsNullOrWhiteSpace(options.Manifest))
        {
            var manifest = FleetManifest.Read(options.Manifest);
            bands.AddRange(manifest.Bands.Select(b => new WorkerOptions.BandSection { Id = b.Id, Patient = b.Patient, Address = b.Address }));
            if (setup.Time is null && manifest.Clock is { } clock)
            {
                setup.Time = new ScaledTimeProvider(clock.Start, clock.Speed, clock.RealStart);
            }
        }

        if (bands.Count == 0)
        {
            throw new ArgumentException("No wristbands configured: give Sensing:Bands (id, patient, address) or Sensing:Manifest (from sensing simulate).");
        }

        return bands.Select((b, i) =>
        {
            try
            {
                return new BandEndpoint(new BandIdentity(b.Id, b.Patient), WristbandAddress.Connector(b.Address, setup.InMemory));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Sensing:Bands:{i}: {ex.Message}", ex);
            }
        }).ToList();
    }

    /// <summary>
    /// What the heap held after the latest full collection (blocking or background), its free space left out: the
    /// live memory, read without forcing a collection (a forced one would change the resident memory it explains).
    /// 0 before the first full collection.
    /// </summary>
    private static long HeapAfterLastFullCollection()
    {
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var last = blocking.Index >= background.Index ? blocking : background;
        return last.Index == 0 ? 0 : last.HeapSizeBytes - last.FragmentedBytes;
    }

    private static IResult Health(IngestionService service)
    {
        var bands = service.Runtime?.Snapshot() ?? [];
        var blocking = service.Writer?.BlockingError;
        var live = bands.Count(b => b.State is LinkState.Live or LinkState.Backfilling);
        var body = new
        {
            status = blocking is null ? "ok" : "degraded",
            bands = bands.Count,
            connected = live,
            samples = service.Metrics.Samples,
            spoolPoints = service.Writer?.Spool.PendingLines ?? 0,
            spoolBytes = service.Writer?.Spool.Bytes ?? 0,
            pointsSpooled = service.PointsSpooled,
            journalBytes = service.Runtime?.Journal?.BytesWritten ?? 0,
            influx = blocking is null ? null : $"{blocking.Value.Kind} (HTTP {blocking.Value.StatusCode}): {blocking.Value.Message}",
            durableLatencyP99Ms = service.Metrics.LatencyQuantileMs(0.99),
            durableLatencyP99MsRecent = service.Metrics.RecentLatencyQuantileMs(0.99),
            heapMiBAfterLastFullGc = HeapAfterLastFullCollection() / (1024.0 * 1024.0),
        };
        return Results.Json(body, Json, statusCode: blocking is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
