namespace Sensing.Activity.Model;

/// <summary>A model file that cannot be used; the message names the file, what was found and what was expected.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string path, ModelRejectionReason reason, string detail)
        : base($"activity model '{path}': {Describe(reason)}: {detail}")
    {
        Path = path;
        Reason = reason;
    }

    public ModelFormatException(string path, ModelRejectionReason reason, string detail, Exception inner)
        : base($"activity model '{path}': {Describe(reason)}: {detail}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file (or resource name) that was refused.</summary>
    public string Path { get; }

    /// <summary>Why it was refused.</summary>
    public ModelRejectionReason Reason { get; }

    private static string Describe(ModelRejectionReason reason) => reason switch
    {
        ModelRejectionReason.Missing => "not found",
        ModelRejectionReason.Truncated => "truncated",
        ModelRejectionReason.NotAModel => "not an activity model",
        ModelRejectionReason.UnsupportedVersion => "unsupported format version",
        ModelRejectionReason.IncompatibleFeatures => "trained for another feature layout",
        _ => "corrupt",
    };
}
