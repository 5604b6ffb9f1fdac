namespace Sensing.Storage.Influx;

/// <summary>What the writer does with a batch after a response (Telegraf's accept / reject / keep, plus split).</summary>
public enum WriteAction
{
    /// <summary>Written (possibly partially: the refused lines are counted as rejected). Remove from the spool.</summary>
    Accept,

    /// <summary>Refused for good and never retried (bad data). Remove from the spool, count, log.</summary>
    Reject,

    /// <summary>Keep and retry after a backoff (server or network trouble).</summary>
    Retry,

    /// <summary>Keep; the server refuses until an operator fixes credentials, permissions or configuration. Retried slowly.</summary>
    NeedsOperator,

    /// <summary>
    /// Split the batch in two and send each half: the body was too large (413), or influxd refused the whole batch for
    /// a field type conflict among its own lines (the good lines would be lost with it).
    /// </summary>
    Split,

    /// <summary>The database does not exist: create it (when configured) and resend.</summary>
    CreateDatabase,
}
