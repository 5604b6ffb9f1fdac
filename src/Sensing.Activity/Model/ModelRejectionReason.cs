namespace Sensing.Activity.Model;

/// <summary>Why a model file was refused.</summary>
public enum ModelRejectionReason
{
    /// <summary>No file at the path (or no embedded model in this build).</summary>
    Missing,

    /// <summary>The file ends before its declared content.</summary>
    Truncated,

    /// <summary>The file does not start with the activity-model magic bytes.</summary>
    NotAModel,

    /// <summary>The format version is not the one this build reads.</summary>
    UnsupportedVersion,

    /// <summary>The model was trained on another feature layout or label set.</summary>
    IncompatibleFeatures,

    /// <summary>The checksum or the structure does not hold.</summary>
    Corrupt,
}
