namespace Sensing.Storage.Influx;

/// <summary>What went wrong with a request to InfluxDB, as classified by <see cref="InfluxResponseClassifier"/>.</summary>
public enum InfluxErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>400 partial write: some lines were written, the others failed (1.x says <c>partial write</c>).</summary>
    PartialWrite,

    /// <summary>400: no line could be parsed.</summary>
    ParseError,

    /// <summary>400 (1.x) or 422 (2.x/3.x): points older than the retention policy keeps.</summary>
    BeyondRetention,

    /// <summary>400: a field was written with a type other than the one it has in the shard.</summary>
    TypeConflict,

    /// <summary>400: a server limit (max-series-per-database, max-values-per-tag) refused new series.</summary>
    LimitExceeded,

    /// <summary>400 for a reason that is not about the data (e.g. <c>database is required</c>): a client or configuration fault.</summary>
    BadRequest,

    /// <summary>401: missing or wrong credentials.</summary>
    Unauthorized,

    /// <summary>403: the user may not write (or read) this database.</summary>
    Forbidden,

    /// <summary>404 <c>database not found</c>.</summary>
    DatabaseNotFound,

    /// <summary>404 for anything else (wrong path prefix, missing bucket/DBRP on 2.x).</summary>
    NotFound,

    /// <summary>500 <c>retention policy not found</c>.</summary>
    RetentionPolicyNotFound,

    /// <summary>413: the request body is over the server's max-body-size.</summary>
    TooLarge,

    /// <summary>429 or 503: the server asks to slow down (honouring Retry-After).</summary>
    Throttled,

    /// <summary>Other 5xx: a server fault that may pass (timeout, cache full, restarting).</summary>
    ServerError,

    /// <summary>No HTTP answer: connection refused or reset, DNS, timeout.</summary>
    Network,

    /// <summary>Any other status.</summary>
    UnexpectedStatus,

    /// <summary>A query statement failed (error inside a 200 body, or a 400 syntax error).</summary>
    QueryFailed,
}
