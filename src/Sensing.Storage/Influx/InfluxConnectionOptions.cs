namespace Sensing.Storage.Influx;

/// <summary>
/// Where InfluxDB is and how to authenticate. The same v1 requests (<c>/write</c>, <c>/query</c>, <c>/ping</c>)
/// work on InfluxDB 1.x, 2.x (v1 compatibility API, DBRP mapping) and 3.x.
/// </summary>
public sealed class InfluxConnectionOptions
{
    /// <summary>Base URL, optionally with a path prefix (e.g. <c>http://db:8086/</c> or <c>https://proxy/influx/</c>); <c>write</c>, <c>query</c> and <c>ping</c> are appended.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The database (1.x), or the database mapped to a bucket (2.x), or the database (3.x).</summary>
    public required string Database { get; init; }

    /// <summary>Retention policy for writes whose lines name none; null = the database's default.</summary>
    public string? RetentionPolicy { get; init; }

    /// <summary>User name for HTTP Basic authentication (1.x; 2.x v1-auth users; 3.x ignores it).</summary>
    public string? Username { get; init; }

    /// <summary>Password for HTTP Basic authentication (on 3.x: the token).</summary>
    public string? Password { get; init; }

    /// <summary>API token (2.x/3.x), sent as <c>Authorization: {TokenScheme} {Token}</c>; exclusive with a user name.</summary>
    public string? Token { get; init; }

    /// <summary>Scheme for <see cref="Token"/>: <c>Token</c> (2.x, 3.x) or <c>Bearer</c> (1.x JWT, 3.x).</summary>
    public string TokenScheme { get; init; } = "Token";

    /// <summary>Per-request timeout. Longer than 1.x's 10 s coordinator write-timeout, so its own 500 timeout arrives first.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or contradictory.</exception>
    public void Validate()
    {
        if (BaseUri is null || !BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttp && BaseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"InfluxDB base URL '{BaseUri}' must be an absolute http or https URL.", nameof(BaseUri));
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            throw new ArgumentException("InfluxDB database name is required.", nameof(Database));
        }

        if (Token is not null && Username is not null)
        {
            throw new ArgumentException("Give either a token or a user name and password, not both.", nameof(Token));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Timeout {Timeout} must be positive.", nameof(Timeout));
        }
    }
}
