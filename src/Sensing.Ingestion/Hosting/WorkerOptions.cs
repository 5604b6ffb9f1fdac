using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Sessions;
using Sensing.Storage.Influx;
using Sensing.Storage.Spool;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// The worker's configuration, section <c>Sensing</c> of appsettings.json, environment variables
/// (<c>Sensing__Influx__Url</c>) and command-line flags (<c>--Sensing:Influx:Url=...</c>, or the short flags of
/// <c>sensing run</c>). Checked at start; a bad value stops the host with a message naming the key.
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Sensing";

    /// <summary>InfluxDB.</summary>
    public InfluxSection Influx { get; set; } = new();

    /// <summary>The sample journal.</summary>
    public JournalSection Journal { get; set; } = new();

    /// <summary>The InfluxDB spool.</summary>
    public SpoolSection Spool { get; set; } = new();

    /// <summary>Health and metrics endpoint, e.g. <c>http://127.0.0.1:8088</c>; empty for none.</summary>
    public string Health { get; set; } = "http://127.0.0.1:8088";

    /// <summary>A fleet manifest written by <c>sensing simulate</c> (its bands and simulated clock); empty for none.</summary>
    public string Manifest { get; set; } = string.Empty;

    /// <summary>The bands: id, patient pseudonym, address.</summary>
    public List<BandSection> Bands { get; set; } = [];

    /// <summary>Session settings (intervals in seconds).</summary>
    public SessionSection Session { get; set; } = new();

    /// <summary>InfluxDB settings.</summary>
    public sealed class InfluxSection
    {
        public string Url { get; set; } = "http://127.0.0.1:8086/";

        public string Database { get; set; } = "sensing";

        public string? Username { get; set; }

        public string? Password { get; set; }

        public string? Token { get; set; }
    }

    /// <summary>Journal settings.</summary>
    public sealed class JournalSection
    {
        public string Directory { get; set; } = string.Empty;

        public double RetentionHours { get; set; } = 26;

        public bool Fsync { get; set; } = true;
    }

    /// <summary>Spool settings.</summary>
    public sealed class SpoolSection
    {
        public string Directory { get; set; } = string.Empty;

        public int MaxMegabytes { get; set; } = 1024;

        public bool Fsync { get; set; } = true;
    }

    /// <summary>One band.</summary>
    public sealed class BandSection
    {
        public string Id { get; set; } = string.Empty;

        public string Patient { get; set; } = string.Empty;

        public string Address { get; set; } = string.Empty;
    }

    /// <summary>Session settings.</summary>
    public sealed class SessionSection
    {
        public double AckSeconds { get; set; } = 5;

        public double ClockSeconds { get; set; } = 300;

        public double StatusSeconds { get; set; } = 60;

        public double CompleteWhenIdleSeconds { get; set; } = 7200;

        public double RequestTimeoutSeconds { get; set; } = 10;

        public double ReconnectCapSeconds { get; set; } = 30;
    }

    /// <summary>The journal options, with <paramref name="dataFolder"/> as the default place.</summary>
    public SampleJournalOptions JournalOptions(string dataFolder) => new()
    {
        Directory = string.IsNullOrWhiteSpace(Journal.Directory) ? Path.Combine(dataFolder, "journal") : Journal.Directory,
        Retention = TimeSpan.FromHours(Journal.RetentionHours),
        Fsync = Journal.Fsync,
    };

    /// <summary>The spool options, with <paramref name="dataFolder"/> as the default place.</summary>
    public SpoolOptions SpoolOptions(string dataFolder) => new()
    {
        Directory = string.IsNullOrWhiteSpace(Spool.Directory) ? Path.Combine(dataFolder, "spool") : Spool.Directory,
        MaxBytes = (long)Spool.MaxMegabytes << 20,
        Durability = Spool.Fsync ? SpoolDurability.Fsync : SpoolDurability.OsBuffered,
    };

    /// <summary>The InfluxDB connection.</summary>
    /// <exception cref="ArgumentException">The URL is not an absolute http(s) URL.</exception>
    public InfluxConnectionOptions InfluxOptions()
    {
        if (!Uri.TryCreate(Influx.Url.EndsWith('/') ? Influx.Url : Influx.Url + "/", UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"Sensing:Influx:Url '{Influx.Url}' is not an absolute URL.");
        }

        var options = new InfluxConnectionOptions
        {
            BaseUri = uri,
            Database = Influx.Database,
            Username = Influx.Username,
            Password = Influx.Password,
            Token = Influx.Token,
        };
        options.Validate();
        return options;
    }

    /// <summary>The session options.</summary>
    public SessionOptions SessionOptions()
    {
        var options = new SessionOptions
        {
            AckInterval = TimeSpan.FromSeconds(Session.AckSeconds),
            ClockInterval = TimeSpan.FromSeconds(Session.ClockSeconds),
            StatusInterval = TimeSpan.FromSeconds(Session.StatusSeconds),
            CompleteWhenIdle = TimeSpan.FromSeconds(Session.CompleteWhenIdleSeconds),
            RequestTimeout = TimeSpan.FromSeconds(Session.RequestTimeoutSeconds),
            ReconnectCap = TimeSpan.FromSeconds(Session.ReconnectCapSeconds),
        };
        options.Validate();
        return options;
    }
}
