using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Sessions;

/// <summary>A session-ending condition with its classified kind and a message that names what and where.</summary>
public sealed class SessionFaultException(SessionFaultKind kind, string message) : Exception(message)
{
    /// <summary>The classified reason.</summary>
    public SessionFaultKind Kind { get; } = kind;
}

/// <summary>The one place that maps whatever ended a session to a <see cref="SessionFaultKind"/>.</summary>
public static class SessionFaults
{
    /// <summary>Classifies <paramref name="ex"/>; <paramref name="connected"/> tells a failed connect from a dropped link.</summary>
    public static SessionFaultKind Classify(Exception ex, bool connected) => ex switch
    {
        SessionFaultException fault => fault.Kind,
        GattLinkException { Error: GattError.Disconnected } => connected ? SessionFaultKind.LinkLost : SessionFaultKind.Unreachable,
        GattLinkException { Error: GattError.UnknownCharacteristic or GattError.NotPermitted } => SessionFaultKind.NotAWristband,
        GattLinkException => SessionFaultKind.ProtocolViolation,
        TimeoutException => SessionFaultKind.NoResponse,
        IOException => SessionFaultKind.JournalFailed,
        System.Threading.Channels.ChannelClosedException => SessionFaultKind.LinkLost,
        OperationCanceledException => connected ? SessionFaultKind.LinkLost : SessionFaultKind.Unreachable,
        _ => SessionFaultKind.ProtocolViolation,
    };

    /// <summary>True for the kinds that mean the band sent bad input (reported as such, not as weather).</summary>
    public static bool IsBadInput(SessionFaultKind kind) => kind is SessionFaultKind.Garbage or SessionFaultKind.ImpossibleClock
        or SessionFaultKind.ReplayedBoot or SessionFaultKind.FutureFrame or SessionFaultKind.ProtocolViolation or SessionFaultKind.NotAWristband;

    /// <summary>The metric tag of a kind.</summary>
    public static string Tag(SessionFaultKind kind) => kind switch
    {
        SessionFaultKind.Unreachable => "unreachable",
        SessionFaultKind.LinkLost => "link_lost",
        SessionFaultKind.NoResponse => "no_response",
        SessionFaultKind.NotAWristband => "not_a_wristband",
        SessionFaultKind.ProtocolViolation => "protocol_violation",
        SessionFaultKind.Garbage => "garbage",
        SessionFaultKind.ImpossibleClock => "impossible_clock",
        SessionFaultKind.ReplayedBoot => "replayed_boot",
        SessionFaultKind.FutureFrame => "future_frame",
        _ => "journal_failed",
    };
}
