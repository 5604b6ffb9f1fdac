using System.Text;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Tests.LineProtocol;

public sealed class LineProtocolWriterTests
{
    private static string Line(Action<LineProtocolWriter> write, WritePrecision precision = WritePrecision.Milliseconds)
    {
        using var writer = new LineProtocolWriter(precision);
        write(writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    [Fact]
    public void Integers_CarryTheISuffix_NeverU()
    {
        var line = Line(w => w.Measurement("m").Field("a", 0L).Field("b", long.MaxValue).Field("c", long.MinValue).Timestamp(5));
        Assert.Equal("m a=0i,b=9223372036854775807i,c=-9223372036854775808i 5\n", line);
    }

    [Fact]
    public void Floats_Booleans_Strings_AreTyped()
    {
        var line = Line(w => w.Measurement("m").Field("f", 1.5).Field("g", 1e78).Field("t", true).Field("s", "a\"b\\c").Timestamp(1));
        Assert.Equal("m f=1.5,g=1E+78,t=true,s=\"a\\\"b\\\\c\" 1\n", line);
    }

    [Fact]
    public void Doubles_AreWrittenInTheirShortestRoundTripForm_OnTheFastPathAndOff()
    {
        // The short-decimal fast path (below 1e9, up to six decimals) and the runtime's "R" must both give text that
        // reads back as exactly the same double; where "R" writes plain decimals, the texts are the same.
        var rng = new Random(3);
        var values = new List<double> { 0, -0.0, 1, -1, 12.5, 0.25, 87, 0.1, 0.3, 0.1 + 0.2, 999_999_999.999999, 1e9, -1e9, 123456.000001, 5e-7, 1e-6, double.Epsilon, double.MaxValue };
        for (int i = 0; i < 20_000; i++)
        {
            values.Add(Math.Round((rng.NextDouble() - 0.5) * 2e6, rng.Next(0, 8)));
            values.Add((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 12)));
        }

        var key = FieldKey.Create("v");
        foreach (var value in values)
        {
            var line = Line(w => w.Measurement("m").Field(key, value).Timestamp(1));
            var text = line["m v=".Length..^" 1\n".Length];
            var back = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(back) == BitConverter.DoubleToInt64Bits(value), $"{value:R} written as {text}");
            var reference = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (!reference.Contains('E', StringComparison.Ordinal))
            {
                Assert.Equal(reference, text);
            }
        }
    }

    [Fact]
    public void FixedDecimalFloats_AreRoundedHalfAwayFromZero_WithoutTrailingZeros()
    {
        var key = FieldKey.Create("v");
        string Text(double value, int decimals) => Line(w => w.Measurement("m").Field(key, value, decimals).Timestamp(1))["m v=".Length..^" 1\n".Length];
        Assert.Equal("12.35", Text(12.345678, 2));
        Assert.Equal("12.5", Text(12.5, 2));
        Assert.Equal("87", Text(87, 2));
        Assert.Equal("0", Text(-0.001, 2));
        Assert.Equal("-0.01", Text(-0.005, 2));
        Assert.Equal("0.783", Text(47 / 60.0, 3));
        Assert.Equal("3", Text(2.5, 0));
        Assert.Equal("1E+300", Text(1e300, 2)); // beyond a long: the shortest round-trip form
        Assert.Throws<ArgumentOutOfRangeException>(() => Text(1, 7));
        Assert.Throws<LineProtocolException>(() => Text(double.PositiveInfinity, 2));

        // Whatever the value, the text reads back as the value rounded to that many decimals.
        var rng = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var value = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-4, 10));
            var decimals = rng.Next(0, 7);
            var back = double.Parse(Text(value, decimals), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Math.Round(value, decimals, MidpointRounding.AwayFromZero), back, Math.Pow(10, -decimals) * 1e-6 + Math.Abs(value) * 1e-15);
        }
    }

    [Fact]
    public void Timestamps_AreTheirDecimalText_AcrossEveryChangeOfLeadingDigits()
    {
        // The writer reuses the leading digits of the previous timestamp; walk sequences that cross those changes,
        // go backwards, jump, and touch the small and the extreme values.
        var rng = new Random(5);
        var stamps = new List<long> { 0, 1, 999_999, 1_000_000, 1_000_001, 9_999_999, 10_000_000, 1_740_787_199_999, 1_740_787_200_000, 9_223_372_036_853, -1, -1_000_000, -9_223_372_036_853 };
        var t = 1_740_787_200_000L;
        for (var i = 0; i < 20_000; i++)
        {
            t += rng.Next(0, 4) switch { 0 => 40, 1 => 60_000, 2 => -rng.Next(0, 2_000_000), _ => rng.NextInt64(0, 100_000_000_000) };
            t = t > 9_000_000_000_000 ? rng.NextInt64(0, 2_000_000_000_000) : t; // stay inside InfluxDB's range
            stamps.Add(t);
        }

        using var writer = new LineProtocolWriter();
        var expected = new StringBuilder();
        foreach (var stamp in stamps)
        {
            writer.Measurement("m").Field("a", 1L).Timestamp(stamp);
            expected.Append("m a=1i ").Append(stamp.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void SmallAndLargeIntegers_AreTheirDecimalText()
    {
        using var writer = new LineProtocolWriter();
        var expected = new StringBuilder();
        foreach (var value in new long[] { 0, 5, 9, 10, 42, 99, 100, 101, 999, 12_345, -1, -9, -10, -99, -100, long.MaxValue, long.MinValue })
        {
            writer.Measurement("m").Field("a", value).Timestamp(1);
            expected.Append("m a=").Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("i 1\n");
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void SingleFloats_UseTheirShortestForm()
    {
        var line = Line(w => w.Measurement("m").Field(FieldKey.Create("x"), 0.1f).Timestamp(1));
        Assert.Equal("m x=0.1 1\n", line);
    }

    [Fact]
    public void Escaping_FollowsTheReferenceTable()
    {
        var line = Line(w => w.Measurement("my meas,x=y").Tag("k ey,=", "v al,=ue").Field("f i,e=ld", 1L).Timestamp(1));
        Assert.Equal("my\\ meas\\,x=y,k\\ ey\\,\\==v\\ al\\,\\=ue f\\ i\\,e\\=ld=1i 1\n", line);
    }

    [Fact]
    public void Utf8_PassesThroughUnescaped()
    {
        var line = Line(w => w.Measurement("målinger").Tag("sted", "København 🚲").Field("s", "æøå").Timestamp(1));
        Assert.Equal("målinger,sted=København\\ 🚲 s=\"æøå\" 1\n", line);
    }

    [Fact]
    public void UnsortedTags_AreRefused()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Tag("b", "1");
        var error = Assert.Throws<LineProtocolException>(() => writer.Tag("a", "1"));
        Assert.Equal(LineProtocolError.TagsNotSorted, error.Reason);
    }

    [Fact]
    public void SeriesPrefix_SortsTagsByOrdinalKey()
    {
        var prefix = SeriesPrefix.Create("m", new("wristband", "w1"), new("patient", "p1"), new("Zed", "z"));
        Assert.Equal("m,Zed=z,patient=p1,wristband=w1", prefix.ToString());
    }

    [Theory]
    [InlineData("", LineProtocolError.Empty)]
    [InlineData("a\nb", LineProtocolError.LineBreak)]
    [InlineData("a\rb", LineProtocolError.LineBreak)]
    [InlineData("a\\b", LineProtocolError.Backslash)]
    public void BadTagValues_AreRefusedWithAReason(string value, LineProtocolError reason)
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m");
        Assert.Equal(reason, Assert.Throws<LineProtocolException>(() => writer.Tag("k", value)).Reason);
    }

    [Theory]
    [InlineData("time")]
    [InlineData("_field")]
    [InlineData("_measurement")]
    public void ReservedKeys_AreRefused(string key)
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m");
        Assert.Equal(LineProtocolError.ReservedName, Assert.Throws<LineProtocolException>(() => writer.Field(key, 1L)).Reason);
    }

    [Fact]
    public void CommentMarkerMeasurement_IsRefused()
    {
        using var writer = new LineProtocolWriter();
        Assert.Equal(LineProtocolError.CommentMarker, Assert.Throws<LineProtocolException>(() => writer.Measurement("#m")).Reason);
    }

    [Fact]
    public void NonFiniteFloats_AreRefused()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m");
        Assert.Equal(LineProtocolError.NonFiniteFloat, Assert.Throws<LineProtocolException>(() => writer.Field("f", double.NaN)).Reason);
        Assert.Equal(LineProtocolError.NonFiniteFloat, Assert.Throws<LineProtocolException>(() => writer.Field("f", double.PositiveInfinity)).Reason);
    }

    [Fact]
    public void StringFields_Over64KiB_AreRefused()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m");
        Assert.Equal(LineProtocolError.StringTooLong, Assert.Throws<LineProtocolException>(() => writer.Field("s", new string('x', 65 * 1024))).Reason);
    }

    [Fact]
    public void LineWithoutField_CannotEnd()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Tag("k", "v");
        Assert.Equal(LineProtocolError.WrongOrder, Assert.Throws<LineProtocolException>(() => writer.Timestamp(1)).Reason);
    }

    [Fact]
    public void TimestampsOutsideInfluxRange_AreRefused()
    {
        using var writer = new LineProtocolWriter(WritePrecision.Seconds);
        writer.Measurement("m").Field("a", 1L);
        Assert.Equal(LineProtocolError.TimestampOutOfRange, Assert.Throws<LineProtocolException>(() => writer.Timestamp(9_300_000_000L)).Reason);
        writer.Timestamp(9_200_000_000L);
        Assert.Equal(1, writer.LineCount);
    }

    [Fact]
    public void AbandonedLine_LeavesCompleteLinesIntact()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Field("a", 1L).Timestamp(1);
        writer.Measurement("m");
        Assert.Throws<LineProtocolException>(() => writer.Field("f", double.NaN));
        writer.AbandonLine();
        writer.Measurement("m").Field("a", 2L).Timestamp(2);
        Assert.Equal("m a=1i 1\nm a=2i 2\n", Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(2, writer.LineCount);
    }

    [Fact]
    public void Buffer_GrowsPastItsInitialSize()
    {
        using var writer = new LineProtocolWriter(initialCapacity: 256);
        for (var i = 0; i < 10_000; i++)
        {
            writer.Measurement("m").Field("a", (long)i).Timestamp(i);
        }

        var text = Encoding.UTF8.GetString(writer.WrittenSpan);
        Assert.Equal(10_000, writer.LineCount);
        Assert.EndsWith("m a=9999i 9999\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyMsAndS_AreEverSentAsPrecision()
    {
        Assert.Equal("ms", WritePrecision.Milliseconds.QueryValue());
        Assert.Equal("s", WritePrecision.Seconds.QueryValue());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((WritePrecision)7).QueryValue());
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineProtocolWriter((WritePrecision)2));
    }
}
