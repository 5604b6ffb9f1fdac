using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Sessions;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;

namespace Sensing.Ingestion.Tests.Sessions;

/// <summary>The in-order stream of one band: dedup by (boot, index), gaps held and backfilled, boots taken in turn.</summary>
public sealed class StreamAssemblerTests
{
    private readonly Records _records = new();

    private static (FrameHeader Header, short[] X, short[] Y, short[] Z) Frame(byte boot, uint seq, int count, FrameType type = FrameType.Live)
    {
        var x = new short[count];
        var y = new short[count];
        var z = new short[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = (short)(seq + i);
            y[i] = (short)(2 * (seq + i));
            z[i] = 4096;
        }

        return (new FrameHeader(type, 1, 2, 0, boot, seq, seq * 40, (byte)count), x, y, z);
    }

    private FrameVerdict Accept(StreamAssembler assembler, byte boot, uint seq, int count, FrameType type = FrameType.Live)
    {
        var (h, x, y, z) = Frame(boot, seq, count, type);
        return assembler.Accept(h, x, y, z, _records);
    }

    private StreamAssembler Connected(byte boot, StreamPosition? start = null)
    {
        var assembler = new StreamAssembler(start, maxHeldSamples: 300, chunkSamples: 1000);
        Assert.True(assembler.Connected(boot, _records));
        return assembler;
    }

    [Fact]
    public void A_new_band_starts_at_index_0_of_its_boot_and_takes_frames_in_order()
    {
        var assembler = Connected(5);
        Assert.Equal("start 5 0", Assert.Single(_records.Log));
        Assert.Equal(FrameVerdict.Accepted, Accept(assembler, 5, 0, 50));
        Assert.Equal(FrameVerdict.Accepted, Accept(assembler, 5, 50, 20));
        Assert.Equal(new StreamPosition(5, 70), assembler.Position);
        Assert.Equal(["samples 5 0 50", "samples 5 50 20"], _records.Log.Skip(1));
    }

    [Fact]
    public void Repeated_and_re_split_ranges_are_taken_once_sample_by_sample()
    {
        var assembler = Connected(1);
        Accept(assembler, 1, 0, 100);
        Assert.Equal(FrameVerdict.Duplicate, Accept(assembler, 1, 40, 60));              // wholly taken
        Assert.Equal(FrameVerdict.Accepted, Accept(assembler, 1, 90, 30, FrameType.Historical)); // overlaps: the new 20
        Assert.Equal("samples 1 100 20", _records.Log[^1]);
        Assert.Equal(1, assembler.Duplicates);
        Assert.Equal(120, _records.SamplesTaken);
    }

    [Fact]
    public void A_gap_holds_what_comes_after_it_and_asks_for_exactly_the_missing_range()
    {
        var assembler = Connected(1);
        Accept(assembler, 1, 0, 50);
        Assert.Equal(FrameVerdict.Held, Accept(assembler, 1, 80, 40)); // 50..79 lost on the air
        Assert.Equal(new BackfillRequest(1, 50, 79), assembler.NextBackfill(now: 0));
        Assert.Null(assembler.NextBackfill(now: 0)); // one at a time
        Assert.True(assembler.BackfillAnswered(new ControlMessage { IsResponse = true, Opcode = ControlOpcode.Backfill, BootId = 1, Index = 50, Samples = 30 }, _records, 0, 0));
        Assert.Equal(FrameVerdict.Accepted, Accept(assembler, 1, 50, 30, FrameType.Historical));
        Assert.Equal(new StreamPosition(1, 120), assembler.Position); // the held frame followed at once
        Assert.Equal(["samples 1 0 50", "samples 1 50 30", "samples 1 80 40"], _records.Log.Skip(1));
    }

    [Fact]
    public void Beyond_the_hold_bound_frames_are_shed_and_fetched_from_flash_later()
    {
        var assembler = Connected(1);
        Accept(assembler, 1, 0, 10);
        Assert.Equal(FrameVerdict.Held, Accept(assembler, 1, 100, 200));
        Assert.Equal(FrameVerdict.Shed, Accept(assembler, 1, 300, 200)); // 400 > 300 held at most
        Assert.Equal(new BackfillRequest(1, 10, 99), assembler.NextBackfill(0));
        assembler.BackfillDone(new ControlMessage { Event = ControlEventCode.BackfillDone, BootId = 1, Index = 10 }, _records, 0, 0);
        Accept(assembler, 1, 10, 90, FrameType.Historical);
        Assert.Equal(new StreamPosition(1, 300), assembler.Position);
        Assert.Equal(new BackfillRequest(1, 300, 499), assembler.NextBackfill(0)); // the shed range, from flash
    }

    [Fact]
    public void What_the_band_no_longer_stores_is_recorded_as_lost_never_hidden()
    {
        var assembler = Connected(1);
        Accept(assembler, 1, 500, 10); // first contact: the band has been recording for a while
        var request = assembler.NextBackfill(0);
        Assert.Equal(new BackfillRequest(1, 0, 499), request);
        assembler.BackfillAnswered(new ControlMessage { IsResponse = true, Opcode = ControlOpcode.Backfill, BootId = 1, Index = 200, Samples = 300 }, _records, 0, 0);
        Assert.Equal($"lost 1 0 200 {LossReason.BeforeFirstContact}", _records.Log[1]);
        Assert.Equal(new StreamPosition(1, 200), assembler.Position);
    }

    [Fact]
    public void After_a_reset_the_old_boot_is_finished_from_flash_before_the_new_one_is_taken()
    {
        var assembler = Connected(1, start: new StreamPosition(1, 100)); // the band reset while away: it is at boot 2
        Assert.True(assembler.Connected(2, _records));
        Assert.Equal(FrameVerdict.Held, Accept(assembler, 2, 0, 30));   // the new boot's live frames wait
        Assert.Equal(new BackfillRequest(1, 100, 1099), assembler.NextBackfill(0)); // bounded to the old boot
        assembler.BackfillAnswered(new ControlMessage { IsResponse = true, Opcode = ControlOpcode.Backfill, BootId = 1, Index = 100, Samples = 40 }, _records, 0, 0);
        Accept(assembler, 1, 100, 40, FrameType.Historical);
        assembler.BackfillDone(new ControlMessage { Event = ControlEventCode.BackfillDone, BootId = 1, Index = 140, Samples = 40 }, _records, 0, 0);
        Assert.Equal(["samples 1 100 40", "finished 1 140", "samples 2 0 30"], _records.Log);
        Assert.Equal(new StreamPosition(2, 30), assembler.Position);
        Assert.Equal(FrameVerdict.Duplicate, Accept(assembler, 1, 120, 20, FrameType.Historical)); // late copy of the finished boot
    }

    [Fact]
    public void A_boot_the_stream_cannot_have_is_refused()
    {
        var assembler = Connected(7);
        Accept(assembler, 7, 0, 10);
        Assert.Equal(FrameVerdict.ForeignBoot, Accept(assembler, 4, 0, 10)); // three resets old
        Assert.Equal(FrameVerdict.ForeignBoot, Accept(assembler, 8, 0, 10)); // a boot after the device's own
        Assert.False(new StreamAssembler(new StreamPosition(7, 10), 300, 1000).Connected(3, _records)); // SET_TIME names an old boot
    }

    private sealed class Records : IStreamRecords
    {
        public List<string> Log { get; } = [];

        public long SamplesTaken { get; private set; }

        public void Samples(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
        {
            // The samples handed on are exactly the frame's, index for index.
            for (var k = 0; k < header.Count; k++)
            {
                Assert.Equal((short)(header.Sequence + k), x[k]);
                Assert.Equal((short)(2 * (header.Sequence + k)), y[k]);
            }

            Assert.Equal(header.Sequence * 40, header.Tick);
            SamplesTaken += header.Count;
            Log.Add($"samples {header.BootId} {header.Sequence} {header.Count}");
        }

        public void Lost(byte boot, uint first, uint count, LossReason reason) => Log.Add($"lost {boot} {first} {count} {reason}");

        public void BootFinished(byte boot, uint end) => Log.Add($"finished {boot} {end}");

        public void Start(byte boot, uint index) => Log.Add($"start {boot} {index}");
    }
}
