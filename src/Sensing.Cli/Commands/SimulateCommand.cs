using System.CommandLine;
using System.Globalization;
using System.Net;
using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Simulation;
using Sensing.Protocol.Frames;
using Sensing.Simulator;

namespace Sensing.Cli.Commands;

/// <summary>
/// <c>sensing simulate --bands N [--recording FILE] [--faults] [--listen ADDR]</c>: simulated wristbands as their own
/// process, each on a loopback port, so the worker is driven from outside. It writes a manifest (band ids, ports, the
/// simulated clock) for <c>sensing run --manifest</c>, and runs until Ctrl+C (or, with <c>--exit-when-drained</c>,
/// until every band's sensor has finished and the gateway acknowledged everything).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var bands = new Option<int>("--bands") { Description = "Number of simulated wristbands.", DefaultValueFactory = _ => 5 };
        var recording = new Option<string?>("--recording") { Description = "Every band plays this recording (at the device rate, file order) instead of a simulated day." };
        var faults = new Option<bool>("--faults") { Description = "Inject the standard faults: lost notifications, disconnects (also mid-backfill), MTU changes, a reset, loss, out of range." };
        var listen = new Option<string>("--listen") { Description = "Loopback address; band i listens on PORT+i (port 0: any free ports).", DefaultValueFactory = _ => "127.0.0.1:0" };
        var manifest = new Option<string>("--manifest") { Description = "Where to write the manifest for sensing run.", DefaultValueFactory = _ => "sensing-fleet.json" };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (the worker follows the manifest's clock).", DefaultValueFactory = _ => 1 };
        var firstId = new Option<int>("--first-id") { Description = "Number of the first band (ids SIM-00000...).", DefaultValueFactory = _ => 0 };
        var drift = new Option<double?>("--drift") { Description = "Clock drift of the bands in ppm, alternating sign (default 100 with --faults, else 0)." };
        var deviceRate = new Option<double>("--device-rate") { Description = "The bands' sample rate in Hz (12.5, 25, 50, 100, 200, 400).", DefaultValueFactory = _ => 25 };
        var slots = new Option<int>("--storage-slots") { Description = "Flash frames per band (244 bytes each).", DefaultValueFactory = _ => 4096 };
        var dayStart = new Option<string>("--day-start") { Description = "Without --recording: the simulated day starts at this time of day (HH:MM).", DefaultValueFactory = _ => "07:00" };
        var clockStart = new Option<string?>("--clock-start") { Description = "Simulated time at --clock-real-start (ISO 8601); default: now, to the minute." };
        var clockRealStart = new Option<string?>("--clock-real-start") { Description = "Real instant of --clock-start (ISO 8601); default: now. Several simulate processes share one clock with both." };
        var exitWhenDrained = new Option<bool>("--exit-when-drained") { Description = "Exit once every band's sensor finished and everything stored was acknowledged." };
        var recordingOptions = new RecordingOptionsBinding();
        var command = new Command("simulate", "Simulated wristbands on loopback sockets, for sensing run --manifest.");
        foreach (var option in new Option[] { bands, recording, faults, listen, manifest, speed, firstId, drift, deviceRate, slots, dayStart, clockStart, clockRealStart, exitWhenDrained })
        {
            command.Options.Add(option);
        }

        recordingOptions.AddTo(command);
        command.SetAction((result, cancel) => CommandErrors.RunAsync(() => RunAsync(new Settings(
            result.GetValue(bands), result.GetValue(recording), result.GetValue(faults), result.GetValue(listen)!, result.GetValue(manifest)!,
            result.GetValue(speed), result.GetValue(firstId), result.GetValue(drift), result.GetValue(deviceRate), result.GetValue(slots),
            result.GetValue(dayStart)!, result.GetValue(clockStart), result.GetValue(clockRealStart), result.GetValue(exitWhenDrained),
            recordingOptions.Bind(result)), cancel)));
        return command;
    }

    private static async Task<int> RunAsync(Settings s, CancellationToken cancel)
    {
        if (s.Bands < 1)
        {
            throw new UsageException($"--bands must be at least 1; got {s.Bands}.");
        }

        var rateCode = FrameFormat.RateCodeOf(s.DeviceRate);
        if (rateCode < 0)
        {
            throw new UsageException($"--device-rate {s.DeviceRate} is not a rate the protocol has (12.5, 25, 50, 100, 200, 400 Hz).");
        }

        if (!IPEndPoint.TryParse(s.Listen, out var listen) || !IPAddress.IsLoopback(listen.Address))
        {
            throw new UsageException($"--listen '{s.Listen}' must be a loopback address with a port, e.g. 127.0.0.1:7000.");
        }

        if (!TimeSpan.TryParseExact(s.DayStart, @"hh\:mm", CultureInfo.InvariantCulture, out var dayStart))
        {
            throw new UsageException($"--day-start '{s.DayStart}' must be HH:MM.");
        }

        var now = DateTimeOffset.UtcNow;
        var start = s.ClockStart is { } cs ? ParseInstant(cs, "--clock-start") : new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var realStart = s.ClockRealStart is { } rs ? ParseInstant(rs, "--clock-real-start") : now;
        var clock = new ScaledTimeProvider(start, s.Speed, realStart);
        Func<int, ISampleSource> source;
        TimeSpan length;
        if (s.Recording is { } path)
        {
            var play = SampleSources.Recording(path, s.RecordingOptions, out length, out _);
            source = _ => play();
        }
        else
        {
            length = TimeSpan.FromHours(24) - dayStart;
            source = i => SampleSources.Day(s.FirstId + i, s.DeviceRate, dayStart);
        }

        var drift = s.Drift ?? (s.Faults ? 100 : 0);
        await using var fleet = SimulatedFleet.Start(new FleetOptions
        {
            Bands = s.Bands,
            FirstId = s.FirstId,
            Source = source,
            Device = i => new SimulatedWristbandOptions
            {
                RateCode = (byte)rateCode,
                Seed = s.FirstId + i + 1,
                StorageSlots = s.StorageSlots,
                ClockDriftPpm = i % 2 == 0 ? drift : -drift,
            },
            Faults = s.Faults ? i => FaultPlan.Standard(length, s.FirstId + i) : _ => [],
            Listen = listen,
            Origin = start,
            Step = s.Bands > 1000 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(20),
        }, clock);
        fleet.WriteManifest(s.Manifest, clock);
        Console.WriteLine($"simulate: {s.Bands} bands on {listen.Address} (ports {fleet.Bands[0].Server!.EndPoint.Port}..{fleet.Bands[^1].Server!.EndPoint.Port}), " +
                          $"{(s.Recording is null ? "a simulated day" : s.Recording)}, {(s.Faults ? "with faults" : "no faults")}, drift ±{drift} ppm, " +
                          $"simulated time {s.Speed}× real from {start:O}; manifest {Path.GetFullPath(s.Manifest)}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var driver = fleet.RunAsync(stop.Token);
        var drainedSince = (DateTime?)null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (s.ExitWhenDrained && fleet.Drained)
            {
                drainedSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - drainedSince > TimeSpan.FromSeconds(5))
                {
                    Console.WriteLine($"simulate: every band drained at simulated {clock.GetUtcNow():O}");
                    break;
                }
            }
        }

        await stop.CancelAsync();
        await driver;
        return 0;
    }

    private static DateTimeOffset ParseInstant(string text, string option)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new UsageException($"{option} '{text}' is not an ISO 8601 instant.");

    private sealed record Settings(
        int Bands, string? Recording, bool Faults, string Listen, string Manifest, double Speed, int FirstId, double? Drift, double DeviceRate,
        int StorageSlots, string DayStart, string? ClockStart, string? ClockRealStart, bool ExitWhenDrained, Sensing.Recordings.RecordingOptions RecordingOptions);
}
