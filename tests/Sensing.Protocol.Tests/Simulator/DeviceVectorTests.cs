using System.Text.Json;
using Sensing.Simulator.Device;

namespace Sensing.Protocol.Tests.Simulator;

/// <summary>
/// The simulated wristband's device core replays the C reference's scripted session (vectors/control.json) and must
/// send exactly the same notifications and indications, byte for byte, at every step.
/// </summary>
public sealed class DeviceVectorTests
{
    private sealed class Radio : IDeviceRadio
    {
        public List<string> Notified { get; } = [];

        public List<string> Indicated { get; } = [];

        public bool Notify(ReadOnlySpan<byte> value)
        {
            Notified.Add(Convert.ToHexString(value).ToLowerInvariant());
            return true;
        }

        public void Indicate(ReadOnlySpan<byte> value) => Indicated.Add(Convert.ToHexString(value).ToLowerInvariant());
    }

    [Fact]
    public void Simulated_device_reproduces_the_reference_session_byte_for_byte()
    {
        var doc = Vectors.Load("control.json");
        var d = doc.GetProperty("device");
        var radio = new Radio();
        var device = new WristbandDevice(radio, d.GetProperty("bootId").GetByte(), d.GetProperty("ringSlots").GetInt32());
        int stepNumber = 0;
        foreach (var step in doc.GetProperty("steps").EnumerateArray())
        {
            stepNumber++;
            string kind = step.GetProperty("step").GetString()!;
            string note = step.GetProperty("note").GetString()!;
            radio.Notified.Clear();
            radio.Indicated.Clear();
            switch (kind)
            {
                case "status":
                    var status = new byte[20];
                    device.Status(step.GetProperty("tick").GetUInt32()).Write(status);
                    Assert.True(string.Equals(step.GetProperty("hex").GetString(), Convert.ToHexString(status), StringComparison.OrdinalIgnoreCase), $"step {stepNumber} ({note}): status differs: {Convert.ToHexString(status)} ring {string.Join(" ", Enumerable.Range(0, device.Ring.Count).Select(i => $"{device.Ring.SeqAt(device.Ring.Oldest + (uint)i)}+{device.Ring.CountAt(device.Ring.Oldest + (uint)i)}"))}");
                    break;
                case "mtu":
                    device.SetMtu(step.GetProperty("mtu").GetInt32());
                    break;
                case "request":
                    device.Control(Vectors.Hex(step.GetProperty("hex")), step.GetProperty("tick").GetUInt32());
                    break;
                case "samples":
                    uint from = step.GetProperty("from").GetUInt32();
                    uint count = step.GetProperty("count").GetUInt32();
                    uint tick0 = step.GetProperty("tick0").GetUInt32();
                    for (uint i = from; i < from + count; i++)
                    {
                        device.AddSample((short)((int)(i * 37 % 400) - 200), (short)((int)(i % 64) * 3 - 96), (short)(4096 + (int)(i % 7) - 3), tick0 + ((i - from) * 10));
                    }

                    break;
                case "flush":
                    device.Flush();
                    break;
                case "flush_live":
                    device.FlushLive();
                    break;
                case "reset":
                    device.Reset();
                    break;
                case "pump":
                    device.PumpBackfill();
                    break;
                case "pump_all":
                    while (device.PumpBackfill())
                    {
                    }

                    break;
                default:
                    Assert.Fail($"unknown step kind {kind}");
                    break;
            }

            var expectedNotified = step.GetProperty("notifications").EnumerateArray().Select(e => e.GetString()!).ToList();
            var expectedIndicated = step.GetProperty("indications").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(expectedIndicated.SequenceEqual(radio.Indicated), $"step {stepNumber} ({note}): indications differ: expected [{string.Join(",", expectedIndicated)}] got [{string.Join(",", radio.Indicated)}]");
            Assert.True(expectedNotified.SequenceEqual(radio.Notified), $"step {stepNumber} ({note}): notifications differ ({expectedNotified.Count} expected, {radio.Notified.Count} sent)");
        }
    }

    [Fact]
    public void Status_vectors_decode_to_their_fields()
    {
        foreach (var v in Vectors.Load("status.json").EnumerateArray())
        {
            var bytes = Vectors.Hex(v.GetProperty("hex"));
            Assert.True(Sensing.Protocol.Control.DeviceStatus.TryParse(bytes, out var s));
            var f = v.GetProperty("fields");
            Assert.Equal(f.GetProperty("battery").GetInt32(), s.BatteryPercent);
            Assert.Equal(f.GetProperty("flags").GetInt32(), (int)s.Flags);
            Assert.Equal(f.GetProperty("bootId").GetInt32(), s.BootId);
            Assert.Equal(f.GetProperty("tick").GetUInt32(), s.Tick);
            Assert.Equal(f.GetProperty("rateCode").GetInt32(), s.RateCode);
            Assert.Equal(f.GetProperty("rangeCode").GetInt32(), s.RangeCode);
            Assert.Equal(f.GetProperty("storageFill").GetInt32(), s.StorageFillPercent);
            Assert.Equal(f.GetProperty("oldestBootId").GetInt32(), s.OldestBootId);
            Assert.Equal(f.GetProperty("oldestSeq").GetUInt32(), s.OldestSequence);
            Assert.Equal(f.GetProperty("droppedSamples").GetUInt32(), s.DroppedSamples);
            var again = new byte[20];
            s.Write(again);
            Assert.Equal(bytes, again);
        }

        Assert.False(Sensing.Protocol.Control.DeviceStatus.TryParse(new byte[19], out _));
    }
}
