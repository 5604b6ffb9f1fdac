namespace Sensing.Ingestion.Sessions;

/// <summary>Where a band's session is, as the live table and the health endpoint show it.</summary>
public enum LinkState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Connecting and negotiating the MTU.</summary>
    Connecting,

    /// <summary>Discovery, subscriptions, SET_TIME, status.</summary>
    Handshake,

    /// <summary>Live frames flowing, nothing to backfill.</summary>
    Live,

    /// <summary>Live frames flowing and a backfill running.</summary>
    Backfilling,

    /// <summary>Waiting (backoff with jitter) before the next connection attempt.</summary>
    Waiting,

    /// <summary>Stopped (worker shutting down).</summary>
    Stopped,
}
