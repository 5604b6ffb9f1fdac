using Sensing.Testing;

namespace Sensing.Cli.Tests;

/// <summary><c>sensing bench</c> as a user runs it: its JSON lines, and a clear refusal of a rate it is not made for.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("sensing-bench");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_json_line_per_pipeline_measured_with_the_documented_fields()
    {
        var outcome = SensingProcess.Run(_folder, "bench", "--json", "--rate", "12.5", "--pipeline", "steps");

        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.JsonLines());
        Assert.Equal("steps", line.GetProperty("pipeline").GetString());
        Assert.Equal(12.5, line.GetProperty("inputRateHz").GetDouble());
        var (pipeline, memory) = (line.GetProperty("samplesPerSecond").GetDouble(), line.GetProperty("memoryReadSamplesPerSecond").GetDouble());
        Assert.True(pipeline > 0 && memory > 0, $"{pipeline} and {memory} samples/s");
        Assert.Equal(Math.Round(pipeline / memory, 4), line.GetProperty("ratio").GetDouble(), 3);
    }

    [Fact]
    public void Several_rates_are_each_measured_and_reported_in_the_order_asked()
    {
        // Each in a process of its own (the command runs itself per rate); the lines come back as one run's.
        var outcome = SensingProcess.Run(_folder, "bench", "--json", "--rate", "25", "12.5", "--pipeline", "steps");

        Assert.Equal(0, outcome.ExitCode);
        var lines = outcome.JsonLines().ToList();
        Assert.Equal([25.0, 12.5], lines.Select(line => line.GetProperty("inputRateHz").GetDouble()));
        Assert.All(lines, line => Assert.Equal("steps", line.GetProperty("pipeline").GetString()));
        Assert.All(lines, line => Assert.True(line.GetProperty("samplesPerSecond").GetDouble() > 0));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("5000")]
    public void A_rate_outside_the_pipelines_input_range_is_named_with_exit_code_2(string rate)
    {
        var outcome = SensingProcess.Run(_folder, "bench", "--json", "--rate", rate);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--rate", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains(rate, outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(outcome.StandardOutput);
    }
}
