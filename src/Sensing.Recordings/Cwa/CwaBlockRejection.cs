namespace Sensing.Recordings.Cwa;

/// <summary>Why a 512-byte sector of a .cwa file gave no samples. The messages live in <see cref="CwaBlock.Describe"/>.</summary>
internal enum CwaBlockRejection
{
    None,

    /// <summary>Not an "AX" data packet (unwritten 0xff/0x00 sectors, other packet kinds): ignored, as the official readers do.</summary>
    NotDataBlock,

    /// <summary>The 16-bit words of the sector do not sum to zero: the block is damaged.</summary>
    BadChecksum,

    /// <summary>The checksum holds but the axes, packing or sample count cannot be decoded.</summary>
    BadLayout,

    /// <summary>The checksum holds but the block's timestamp is not a date.</summary>
    BadTimestamp,

    /// <summary>The file ends inside the sector.</summary>
    Truncated,
}
