using System.CommandLine;
using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Journal;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing run</c>: the ingestion worker against the configured wristbands and InfluxDB, on the .NET Generic Host.
/// Configuration: appsettings.json in the working directory, environment variables (<c>Sensing__Influx__Url</c>), and
/// these flags (or any <c>--Sensing:Key=value</c>). Ctrl+C (SIGINT) or SIGTERM stops it gracefully.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var influx = new Option<string?>("--influx") { Description = "InfluxDB base URL (Sensing:Influx:Url; default http://127.0.0.1:8086/)." };
        var db = new Option<string?>("--db") { Description = "Database (Sensing:Influx:Database; default sensing)." };
        var manifest = new Option<string?>("--manifest") { Description = "Bands (and simulated clock) from a manifest written by sensing simulate (Sensing:Manifest)." };
        var journal = new Option<string?>("--journal") { Description = "Sample journal directory (Sensing:Journal:Directory)." };
        var spool = new Option<string?>("--spool") { Description = "InfluxDB spool directory (Sensing:Spool:Directory)." };
        var health = new Option<string?>("--health") { Description = "Health/metrics URL to listen on (Sensing:Health; default http://127.0.0.1:8088)." };
        var command = new Command("run", "Run the ingestion worker: wristbands -> journal -> pipeline -> InfluxDB, with /health, /bands and /metrics.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var option in new Option[] { influx, db, manifest, journal, spool, health })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, Option<string?> option)
            {
                if (result.GetValue(option) is { } value)
                {
                    overrides[key] = value;
                }
            }

            Set("Sensing:Influx:Url", influx);
            Set("Sensing:Influx:Database", db);
            Set("Sensing:Manifest", manifest);
            Set("Sensing:Journal:Directory", journal);
            Set("Sensing:Spool:Directory", spool);
            Set("Sensing:Health", health);
            return Run([.. result.UnmatchedTokens], overrides);
        });
        return command;
    }

    private static int Run(string[] args, Dictionary<string, string?> overrides)
    {
        try
        {
            using var app = IngestionHost.Build(args, overrides: overrides);
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidDataException or JournalCorruptException
            or Sensing.Storage.Spool.SpoolCorruptException)
        {
            Console.Error.WriteLine($"sensing run: {ex.Message}");
            return CommandErrors.BadInput;
        }
    }
}
