using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sensing.Storage.Influx;

/// <summary>Shared HTTP plumbing: URLs under the base path, authentication, and reading error messages.</summary>
internal static class InfluxHttp
{
    /// <summary>An HttpClient suited to one InfluxDB: keep-alive pooling, connect timeout, request timeout from the options.</summary>
    public static HttpClient CreateClient(InfluxConnectionOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler) { Timeout = options.Timeout };
    }

    /// <summary>{base}/{endpoint}?{query}; the base's path prefix is kept (Telegraf's path.Join).</summary>
    public static Uri Endpoint(InfluxConnectionOptions options, string endpoint, string query)
    {
        var baseText = options.BaseUri.GetLeftPart(UriPartial.Path);
        if (!baseText.EndsWith('/'))
        {
            baseText += "/";
        }

        return new Uri(baseText + endpoint + (query.Length == 0 ? string.Empty : "?" + query));
    }

    /// <summary>Appends <c>&amp;name=value</c>, URL-encoded.</summary>
    public static void AddParameter(StringBuilder query, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    public static void Authenticate(HttpRequestMessage request, InfluxConnectionOptions options)
    {
        if (options.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(options.TokenScheme, options.Token);
        }
        else if (options.Username is not null)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
    }

    /// <summary>
    /// The error text of a response: X-Influxdb-Error (1.x, all non-2xx but 401), else the JSON body's
    /// <c>error</c> (1.x), <c>message</c> (2.x) or <c>data[].error_message</c> (3.x), else the raw body (capped).
    /// </summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Headers.TryGetValues("X-Influxdb-Error", out var values))
        {
            var header = string.Join("; ", values);
            if (header.Length > 0)
            {
                return header;
            }
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > 4096)
        {
            body = body[..4096];
        }

        return ErrorFromBody(body) ?? (body.Length > 0 ? body.Trim() : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    /// <summary>The Retry-After header as a delay (seconds or an HTTP date), if present.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string? ErrorFromBody(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var text = error.GetString()!;
                if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                {
                    var lines = data.EnumerateArray()
                        .Select(d => d.TryGetProperty("error_message", out var m) ? m.GetString() : null)
                        .Where(m => m is not null);
                    text += ": " + string.Join("; ", lines);
                }

                return text;
            }

            return root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
