using System.Buffers;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Schema;

/// <summary>
/// One wristband worn by one (pseudonymous) patient: the only tag set Sensing writes. Holds the escaped series
/// prefix of every measurement, so writing a point copies bytes and formats numbers, nothing more.
/// </summary>
/// <remarks>
/// Ids are restricted to 1-64 characters of <c>A-Z a-z 0-9 . _ : -</c>: they are identifiers, never free text or
/// names, which keeps tags free of personal data and of anything needing escapes.
/// </remarks>
public sealed class WristbandSeries
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Creates the series of one wristband / patient pair.</summary>
    /// <exception cref="ArgumentException">An id is empty, longer than 64 characters or uses other characters.</exception>
    public WristbandSeries(string wristbandId, string patientPseudonym)
    {
        Validate(wristbandId, nameof(wristbandId));
        Validate(patientPseudonym, nameof(patientPseudonym));
        WristbandId = wristbandId;
        PatientPseudonym = patientPseudonym;
        Minute = Prefix(SensingSchema.Minute);
        Epoch = Prefix(SensingSchema.Epoch);
        Wear = Prefix(SensingSchema.Wear);
        Device = Prefix(SensingSchema.Device);
        Daily = Prefix(SensingSchema.Daily);
        Raw = Prefix(SensingSchema.Raw);
    }

    /// <summary>The wristband id (tag <c>wristband</c>).</summary>
    public string WristbandId { get; }

    /// <summary>The patient pseudonym (tag <c>patient</c>).</summary>
    public string PatientPseudonym { get; }

    internal SeriesPrefix Minute { get; }

    internal SeriesPrefix Epoch { get; }

    internal SeriesPrefix Wear { get; }

    internal SeriesPrefix Device { get; }

    internal SeriesPrefix Daily { get; }

    internal SeriesPrefix Raw { get; }

    private SeriesPrefix Prefix(string measurement) => SeriesPrefix.Create(
        measurement,
        new KeyValuePair<string, string>(SensingSchema.PatientTag, PatientPseudonym),
        new KeyValuePair<string, string>(SensingSchema.WristbandTag, WristbandId));

    private static void Validate(string id, string name)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || id.AsSpan().ContainsAnyExcept(Allowed))
        {
            throw new ArgumentException(
                $"{name} '{id}' must be 1-64 characters of A-Z a-z 0-9 . _ : - (an identifier, never a name or free text).", name);
        }
    }
}
