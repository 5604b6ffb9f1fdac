using System.Text;
using Sensing.Storage.Schema;

namespace Sensing.Ingestion.Processing;

/// <summary>Who a band is: its id (journal key, InfluxDB tag) and its patient's pseudonym.</summary>
public sealed class BandIdentity
{
    /// <summary>Creates the identity; both ids follow <see cref="WristbandSeries"/>' rules.</summary>
    /// <exception cref="ArgumentException">An id is not 1-64 characters of A-Z a-z 0-9 . _ : -.</exception>
    public BandIdentity(string wristbandId, string patientPseudonym)
    {
        Series = new WristbandSeries(wristbandId, patientPseudonym);
        Key = Encoding.ASCII.GetBytes(wristbandId);
    }

    /// <summary>The band id.</summary>
    public string Id => Series.WristbandId;

    /// <summary>The InfluxDB series (tags) of the band.</summary>
    public WristbandSeries Series { get; }

    /// <summary>The id as journal key bytes.</summary>
    internal byte[] Key { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
