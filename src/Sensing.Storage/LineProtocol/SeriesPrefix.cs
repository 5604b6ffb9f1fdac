using System.Text;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// A measurement and its tag set, escaped and sorted once (<c>minute,patient=p-17,wristband=WB-0042</c>); a
/// producer builds one per wristband and measurement and reuses it for every point.
/// </summary>
public sealed class SeriesPrefix
{
    private SeriesPrefix(ReadOnlySpan<byte> utf8, string? lastTagKey)
    {
        Bytes = new PaddedBytes(utf8);
        LastTagKey = lastTagKey;
    }

    /// <summary>The escaped <c>measurement,tag=value...</c> bytes (no trailing space).</summary>
    public ReadOnlySpan<byte> Utf8 => Bytes.Span;

    /// <summary>The same bytes, for the writer's block copy.</summary>
    internal PaddedBytes Bytes { get; }

    /// <summary>The last tag key, so further <see cref="LineProtocolWriter.Tag"/> calls keep the order.</summary>
    internal string? LastTagKey { get; }

    /// <summary>Builds a prefix; tags are sorted here by ordinal key.</summary>
    /// <exception cref="LineProtocolException">A name or value cannot be written as line protocol.</exception>
    /// <exception cref="ArgumentException">A tag key appears twice.</exception>
    public static SeriesPrefix Create(string measurement, params ReadOnlySpan<KeyValuePair<string, string>> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Key == sorted[i].Key)
            {
                throw new ArgumentException($"Tag key '{sorted[i].Key}' appears twice in series '{measurement}'.", nameof(tags));
            }
        }

        using var writer = new LineProtocolWriter(initialCapacity: 256);
        writer.Measurement(measurement);
        foreach (var (key, value) in sorted)
        {
            writer.Tag(key, value);
        }

        return new SeriesPrefix(writer.PendingLine, sorted.Length == 0 ? null : sorted[^1].Key);
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}
