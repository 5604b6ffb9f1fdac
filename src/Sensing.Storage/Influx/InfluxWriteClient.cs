using System.Net.Http.Headers;
using System.Text;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Influx;

/// <summary>
/// One <c>POST {base}/write?db=&amp;rp=&amp;precision=</c> with a (gzipped) line-protocol body, answered by a
/// classified <see cref="WriteVerdict"/>; it never throws for server or network trouble.
/// </summary>
public sealed class InfluxWriteClient
{
    private static readonly MediaTypeHeaderValue TextPlain = new("text/plain") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly InfluxConnectionOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="http"/> (which the caller owns).</summary>
    public InfluxWriteClient(HttpClient http, InfluxConnectionOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Sends one body of line protocol.</summary>
    /// <param name="body">The lines, gzipped when <paramref name="gzipped"/>.</param>
    /// <param name="gzipped">Sets <c>Content-Encoding: gzip</c>.</param>
    /// <param name="retentionPolicy">Target RP; null: the configured one, else the database default.</param>
    /// <param name="precision">Timestamp unit of the lines (only ms or s exist).</param>
    /// <param name="points">Number of lines, for counting rejections.</param>
    /// <param name="cancellationToken">Cancels the request (then <see cref="OperationCanceledException"/> is thrown).</param>
    public async Task<WriteVerdict> WriteAsync(ReadOnlyMemory<byte> body, bool gzipped, string? retentionPolicy, WritePrecision precision, long points, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        InfluxHttp.AddParameter(query, "db", _options.Database);
        InfluxHttp.AddParameter(query, "rp", retentionPolicy ?? _options.RetentionPolicy);
        InfluxHttp.AddParameter(query, "precision", precision.QueryValue());
        using var request = new HttpRequestMessage(HttpMethod.Post, InfluxHttp.Endpoint(_options, "write", query.ToString()));
        InfluxHttp.Authenticate(request, _options);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = TextPlain;
        if (gzipped)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return WriteVerdict.Success with { StatusCode = (int)response.StatusCode };
            }

            var message = await InfluxHttp.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return InfluxResponseClassifier.Classify((int)response.StatusCode, message, InfluxHttp.RetryAfter(response, _time), points);
        }
        catch (HttpRequestException ex)
        {
            return InfluxResponseClassifier.NetworkFailure(ex.Message);
        }
        catch (IOException ex)
        {
            return InfluxResponseClassifier.NetworkFailure(ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout: the points may still land (1.x keeps writing); resending is safe, a repeat overwrites.
            return InfluxResponseClassifier.NetworkFailure($"no answer within {_options.Timeout.TotalSeconds:F0} s ({ex.Message})");
        }
    }
}
