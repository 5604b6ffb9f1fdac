using System.Globalization;
using System.Text.RegularExpressions;

namespace Sensing.Storage.Influx;

/// <summary>
/// The one place that turns a /write response into a <see cref="WriteVerdict"/>. Status first; for 400/404/500 the
/// server's message (1.x constants, as Telegraf and the Go client match them) says which class it is.
/// </summary>
public static partial class InfluxResponseClassifier
{
    /// <summary>Classifies an HTTP answer to a write.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">X-Influxdb-Error, else the body's <c>error</c> / <c>message</c>, else the body text.</param>
    /// <param name="retryAfter">Parsed Retry-After header, if any.</param>
    /// <param name="points">Points in the request, for counting a full rejection.</param>
    public static WriteVerdict Classify(int statusCode, string message, TimeSpan? retryAfter, long points)
    {
        message ??= string.Empty;
        return statusCode switch
        {
            >= 200 and < 300 => WriteVerdict.Success with { StatusCode = statusCode },
            400 => ClassifyBadRequest(message, points),
            422 => Verdict(WriteAction.Reject, InfluxErrorKind.BeyondRetention, 422, message, null, points),
            401 => Verdict(WriteAction.NeedsOperator, InfluxErrorKind.Unauthorized, 401, message, retryAfter, 0),
            403 => Verdict(WriteAction.NeedsOperator, InfluxErrorKind.Forbidden, 403, message, retryAfter, 0),
            404 when Contains(message, "database not found") => Verdict(WriteAction.CreateDatabase, InfluxErrorKind.DatabaseNotFound, 404, message, null, 0),
            404 => Verdict(WriteAction.NeedsOperator, InfluxErrorKind.NotFound, 404, message, null, 0),
            413 => Verdict(WriteAction.Split, InfluxErrorKind.TooLarge, 413, message, null, 0),
            429 or 503 => Verdict(WriteAction.Retry, InfluxErrorKind.Throttled, statusCode, message, retryAfter, 0),
            500 when Contains(message, "retention policy not found") => Verdict(WriteAction.NeedsOperator, InfluxErrorKind.RetentionPolicyNotFound, 500, message, null, 0),
            >= 500 => Verdict(WriteAction.Retry, InfluxErrorKind.ServerError, statusCode, message, retryAfter, 0),
            _ => Verdict(WriteAction.NeedsOperator, InfluxErrorKind.UnexpectedStatus, statusCode, message, retryAfter, 0),
        };
    }

    /// <summary>The verdict when no HTTP answer came (refused, reset, timed out).</summary>
    public static WriteVerdict NetworkFailure(string message)
        => Verdict(WriteAction.Retry, InfluxErrorKind.Network, 0, message, null, 0);

    private static WriteVerdict ClassifyBadRequest(string message, long points)
    {
        var partial = Contains(message, "partial write");
        var kind = message switch
        {
            _ when Contains(message, "points beyond retention policy") => InfluxErrorKind.BeyondRetention,
            _ when Contains(message, "field type conflict") => InfluxErrorKind.TypeConflict,
            _ when Contains(message, "limit exceeded") => InfluxErrorKind.LimitExceeded,
            _ when Contains(message, "unable to parse") || Contains(message, "invalid field name") || Contains(message, "invalid tag") || Contains(message, "write of line protocol failed")
                => partial ? InfluxErrorKind.PartialWrite : InfluxErrorKind.ParseError,
            _ when partial => InfluxErrorKind.PartialWrite,
            _ => InfluxErrorKind.BadRequest,
        };

        if (kind == InfluxErrorKind.BadRequest)
        {
            // Not about the data (e.g. "database is required", bad consistency, gzip mismatch): keep it, alert.
            return Verdict(WriteAction.NeedsOperator, kind, 400, message, null, 0);
        }

        // 1.6 refuses a whole batch, without "partial write", when its own lines give a new field two types: nothing
        // was stored, so the halves go again and only the conflicting lines end up refused.
        if (kind == InfluxErrorKind.TypeConflict && !partial && points > 1)
        {
            return Verdict(WriteAction.Split, kind, 400, message, null, 0);
        }

        // A partial write stored the good lines; only the refused ones are lost for good, and retrying cannot help.
        var rejected = partial ? CountRejected(message, points) : points;
        return Verdict(partial ? WriteAction.Accept : WriteAction.Reject, kind, 400, message, null, rejected);
    }

    private static long CountRejected(string message, long points)
    {
        var match = DroppedPattern().Match(message);
        if (match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped) && dropped > 0)
        {
            return Math.Min(dropped, points);
        }

        // 1.6 reports dropped=0 for parse failures; each failed line is named once as "unable to parse '...'".
        var parseFailures = UnableToParsePattern().Count(message);
        return parseFailures > 0 ? Math.Min(parseFailures, points) : -1;
    }

    private static bool Contains(string message, string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);

    private static WriteVerdict Verdict(WriteAction action, InfluxErrorKind kind, int status, string message, TimeSpan? retryAfter, long rejected)
        => new(action, kind, status, message, retryAfter, rejected);

    [GeneratedRegex(@"dropped=(\d+)")]
    private static partial Regex DroppedPattern();

    [GeneratedRegex("unable to parse '")]
    private static partial Regex UnableToParsePattern();
}
