using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sensing.Cli.Commands;

/// <summary>
/// One JSON object per line on a stream, written as people and scripts read it: "steps+activity" and file paths as
/// they are, not as \u escapes (the output is never embedded in HTML).
/// </summary>
internal static class JsonLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one object with <paramref name="body"/> and ends the line.</summary>
    public static void Write(Stream output, Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(output, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
