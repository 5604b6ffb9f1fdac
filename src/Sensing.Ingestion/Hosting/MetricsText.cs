using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// The OpenTelemetry side of the worker's metrics: a meter provider listening to <c>Sensing.Ingestion</c> and
/// <c>Sensing.Storage</c> (and whichever others it is given), read on demand for <c>GET /metrics</c> and rendered in the Prometheus text format.
/// Any other OpenTelemetry exporter (OTLP, Prometheus) attaches to the same meters.
/// </summary>
public sealed class MetricsText : IDisposable
{
    private readonly Exporter _exporter = new();
    private readonly BaseExportingMetricReader _reader;
    private readonly MeterProvider _provider;
    private readonly Lock _gate = new();

    public MetricsText(params string[] meters)
    {
        _reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(meters).AddReader(_reader).Build()!;
    }

    /// <summary>Collects every instrument now and renders them.</summary>
    public string Render()
    {
        lock (_gate)
        {
            _exporter.Text.Clear();
            _reader.Collect();
            return _exporter.Text.ToString();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _provider.Dispose();
        _reader.Dispose();
        _exporter.Dispose();
    }

    private sealed class Exporter : BaseExporter<Metric>
    {
        public StringBuilder Text { get; } = new();

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                var name = metric.Name.Replace('.', '_');
                Text.Append("# HELP ").Append(name).Append(' ').Append(metric.Description).Append('\n');
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new StringBuilder();
                    foreach (var tag in point.Tags)
                    {
                        tags.Append(tags.Length == 0 ? "{" : ",").Append(tag.Key.Replace('.', '_')).Append("=\"").Append(tag.Value).Append('"');
                    }

                    if (tags.Length > 0)
                    {
                        tags.Append('}');
                    }

                    switch (metric.MetricType)
                    {
                        case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                            Line(name, tags, point.GetSumLong());
                            break;
                        case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                            Line(name, tags, point.GetSumDouble());
                            break;
                        case MetricType.LongGauge:
                            Line(name, tags, point.GetGaugeLastValueLong());
                            break;
                        case MetricType.DoubleGauge:
                            Line(name, tags, point.GetGaugeLastValueDouble());
                            break;
                        case MetricType.Histogram:
                            Line(name + "_count", tags, point.GetHistogramCount());
                            Line(name + "_sum", tags, point.GetHistogramSum());
                            break;
                    }
                }
            }

            return ExportResult.Success;
        }

        private void Line(string name, StringBuilder tags, double value)
            => Text.Append(name).Append(tags).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
