namespace Sensing.Ingestion.Sessions;

/// <summary>Why a band's session dropped its connection, classified once (<see cref="SessionFaults"/>). Metric tag: the lower-case name.</summary>
public enum SessionFaultKind
{
    /// <summary>The band could not be reached (out of range, off, refused).</summary>
    Unreachable,

    /// <summary>The link went down mid-session.</summary>
    LinkLost,

    /// <summary>The band did not answer a control request in time.</summary>
    NoResponse,

    /// <summary>The peer lacks the Sensing Motion Service characteristics.</summary>
    NotAWristband,

    /// <summary>The band answered something the protocol does not allow (wrong opcode, impossible result, unsolicited response).</summary>
    ProtocolViolation,

    /// <summary>The band sent bytes that are not frames or control messages, more than a link's noise explains.</summary>
    Garbage,

    /// <summary>The band's clock contradicts itself (tick going back within a boot, a drift no crystal has, frame ticks off their indices).</summary>
    ImpossibleClock,

    /// <summary>The band named a boot id that is not its stream's nor one after it: an old boot id replayed.</summary>
    ReplayedBoot,

    /// <summary>A frame's samples lie further in the band's future than its clock allows.</summary>
    FutureFrame,

    /// <summary>The gateway could not make data durable (journal failure): nothing more is acknowledged.</summary>
    JournalFailed,
}
