using Sensing.Storage.Influx;

namespace Sensing.Storage.Tests.Influx;

/// <summary>
/// One private influxd for a test collection (see <see cref="LocalInfluxServer"/>): free loopback ports, temporary
/// data, stopped after. Fails with a clear message when influxd is not installed. Tests use their own database names.
/// </summary>
public sealed class InfluxServerFixture : IAsyncLifetime
{
    private LocalInfluxServer? _server;

    public LocalInfluxServer Server => _server ?? throw new InvalidOperationException("influxd was not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => _server = await LocalInfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Connection options for a fresh database name.</summary>
    public InfluxConnectionOptions Options(string? database = null, string? retentionPolicy = null) => new()
    {
        BaseUri = Server.BaseUri,
        Database = database ?? $"t{Guid.NewGuid():N}",
        RetentionPolicy = retentionPolicy,
    };

    /// <summary>A query client on <paramref name="options"/>.</summary>
    public InfluxQueryClient Query(InfluxConnectionOptions options) => new(Http, options);

    /// <summary>Creates the database of <paramref name="options"/> and returns its query client.</summary>
    public async Task<InfluxQueryClient> CreateDatabaseAsync(InfluxConnectionOptions options)
    {
        var query = Query(options);
        await query.ExecuteAsync($"CREATE DATABASE {InfluxQl.Identifier(options.Database)}", CancellationToken.None);
        return query;
    }
}

/// <summary>Tests sharing one influxd.</summary>
[CollectionDefinition(Name)]
public sealed class InfluxCollection : ICollectionFixture<InfluxServerFixture>
{
    public const string Name = "influxd";
}
