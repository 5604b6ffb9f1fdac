using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Sensing.Storage.Influx;

/// <summary>
/// InfluxQL over the v1 <c>/query</c> endpoint: bound parameters (<c>params</c>, never spliced strings), chunked
/// responses streamed as they arrive, and errors inside a 200 body raised as <see cref="InfluxException"/>.
/// </summary>
public sealed class InfluxQueryClient
{
    private readonly HttpClient _http;
    private readonly InfluxConnectionOptions _options;

    /// <summary>Creates a client over <paramref name="http"/> (owned by the caller).</summary>
    public InfluxQueryClient(HttpClient http, InfluxConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
    }

    /// <summary>
    /// Runs a read query and streams its series chunk by chunk (<c>chunked=true&amp;chunk_size=N</c>), in server
    /// order; a series longer than <paramref name="chunkSize"/> rows arrives as several chunks, all but the last
    /// with <see cref="InfluxSeries.Partial"/> set.
    /// </summary>
    /// <param name="query">InfluxQL; user values appear only as <c>$name</c> placeholders.</param>
    /// <param name="parameters">Values of the placeholders (string, integer, float or bool).</param>
    /// <param name="chunkSize">Rows per chunk.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="InfluxException">The query failed (HTTP error, or an error inside the 200 body).</exception>
    public async IAsyncEnumerable<InfluxSeries> StreamAsync(string query, IReadOnlyDictionary<string, object>? parameters = null, int chunkSize = 10_000,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var text = QueryText(query, parameters);
        InfluxHttp.AddParameter(text, "chunked", "true");
        InfluxHttp.AddParameter(text, "chunk_size", chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Get, InfluxHttp.Endpoint(_options, "query", text.ToString()));
        InfluxHttp.Authenticate(request, _options);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            foreach (var series in ParseChunk(line))
            {
                yield return series;
            }
        }
    }

    /// <summary>Runs a read query and returns whole series (chunks merged by statement, name and tags).</summary>
    /// <exception cref="InfluxException">The query failed.</exception>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string query, IReadOnlyDictionary<string, object>? parameters = null, CancellationToken cancellationToken = default)
    {
        var merged = new List<InfluxSeries>();
        await foreach (var chunk in StreamAsync(query, parameters, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var existing = merged.FindLast(s => s.SameSeries(chunk));
            if (existing is not null)
            {
                existing.Values.AddRange(chunk.Values);
            }
            else
            {
                merged.Add(new InfluxSeries(chunk.StatementId, chunk.Name, chunk.Tags, chunk.Columns, [.. chunk.Values], partial: false));
            }
        }

        return merged;
    }

    /// <summary>Runs a statement that changes the server (CREATE, DROP, ALTER, SELECT ... INTO) with POST.</summary>
    /// <exception cref="InfluxException">The statement failed.</exception>
    public async Task ExecuteAsync(string statement, CancellationToken cancellationToken, IReadOnlyDictionary<string, object>? parameters = null)
    {
        var form = QueryText(statement, parameters);
        using var request = new HttpRequestMessage(HttpMethod.Post, InfluxHttp.Endpoint(_options, "query", string.Empty))
        {
            Content = new StringContent(form.ToString(), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        InfluxHttp.Authenticate(request, _options);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _ = ParseChunk(line).Count();
        }
    }

    private StringBuilder QueryText(string query, IReadOnlyDictionary<string, object>? parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var text = new StringBuilder();
        InfluxHttp.AddParameter(text, "db", _options.Database);
        InfluxHttp.AddParameter(text, "q", query);
        InfluxHttp.AddParameter(text, "epoch", "ms");
        if (parameters is { Count: > 0 })
        {
            InfluxHttp.AddParameter(text, "params", JsonSerializer.Serialize(parameters));
        }

        return text;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new InfluxException(InfluxErrorKind.Network, 0, $"InfluxDB at {_options.BaseUri} is unreachable: {ex.Message}", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var message = await InfluxHttp.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var kind = status switch
            {
                400 => InfluxErrorKind.QueryFailed,
                _ => InfluxResponseClassifier.Classify(status, message, null, 0).Kind,
            };
            throw new InfluxException(kind, status, $"InfluxDB query failed (HTTP {status}): {message}");
        }
    }

    /// <summary>Parses one <c>{"results":[...]}</c> object; an <c>error</c> anywhere in it becomes an exception.</summary>
    private static IEnumerable<InfluxSeries> ParseChunk(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxException(InfluxErrorKind.QueryFailed, 200, $"InfluxDB query failed: {topError.GetString()}");
        }

        var found = new List<InfluxSeries>();
        if (!root.TryGetProperty("results", out var results))
        {
            return found;
        }

        foreach (var result in results.EnumerateArray())
        {
            var statement = result.TryGetProperty("statement_id", out var id) ? id.GetInt32() : 0;
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException(InfluxErrorKind.QueryFailed, 200, $"InfluxDB query statement {statement} failed: {error.GetString()}");
            }

            if (!result.TryGetProperty("series", out var seriesArray))
            {
                continue;
            }

            foreach (var series in seriesArray.EnumerateArray())
            {
                found.Add(ParseSeries(statement, series));
            }
        }

        return found;
    }

    private static InfluxSeries ParseSeries(int statement, JsonElement series)
    {
        var name = series.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
        var tags = new Dictionary<string, string>();
        if (series.TryGetProperty("tags", out var tagObject))
        {
            foreach (var tag in tagObject.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
            }
        }

        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray();
        var rows = new List<object?[]>();
        if (series.TryGetProperty("values", out var values))
        {
            foreach (var row in values.EnumerateArray())
            {
                rows.Add(row.EnumerateArray().Select(Value).ToArray());
            }
        }

        var partial = series.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True;
        return new InfluxSeries(statement, name, tags, columns, rows, partial);
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
