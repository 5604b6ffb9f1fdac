using System.Text;
using Sensing.Ingestion.Journal;
using Sensing.Testing;

namespace Sensing.Ingestion.Tests.Journal;

/// <summary>The journal gives back, in order, every record whose commit returned, and nothing else.</summary>
public sealed class SampleJournalTests : IDisposable
{
    private readonly TempFolder _folder = new("sensing-journal");

    public void Dispose() => _folder.Dispose();

    private SampleJournalOptions Options => new() { Directory = _folder.Path, SegmentBytes = 1 << 20, CommitInterval = TimeSpan.FromMilliseconds(5) };

    private List<(string Band, JournalRecordKind Kind, byte[] Payload)> Recover(out SampleJournal journal)
    {
        var seen = new List<(string, JournalRecordKind, byte[])>();
        journal = SampleJournal.Recover(Options, e => seen.Add((e.BandId, e.Kind, e.Payload.ToArray())));
        return seen;
    }

    [Fact]
    public async Task Committed_records_come_back_in_order_across_segments_and_restarts()
    {
        var written = new List<(string, JournalRecordKind, byte[])>();
        Recover(out var journal);
        Task last = Task.CompletedTask;
        for (var i = 0; i < 20_000; i++)
        {
            var band = $"WB-{i % 7}";
            var payload = Encoding.ASCII.GetBytes($"record {i}").Concat(new byte[i % 200]).ToArray();
            written.Add((band, JournalRecordKind.Samples, payload));
            last = journal.Append(Encoding.ASCII.GetBytes(band), JournalRecordKind.Samples, payload);
            if (i % 1000 == 999)
            {
                await last; // several commits, so that segments roll over
            }
        }

        await last;
        Assert.True(journal.Commits > 0);
        await journal.DisposeAsync();
        Assert.True(Directory.GetFiles(_folder.Path, "*.journal").Length > 2, "20,000 records should span several 1 MiB segments");

        var seen = Recover(out var reopened);
        await reopened.DisposeAsync();
        Assert.Equal(written.Count, seen.Count);
        Assert.True(written.Zip(seen).All(p => p.First.Item1 == p.Second.Band && p.First.Item3.AsSpan().SequenceEqual(p.Second.Payload)));
    }

    [Fact]
    public async Task A_torn_tail_of_the_newest_segment_is_cut_and_everything_before_it_kept()
    {
        Recover(out var journal);
        await journal.Append("WB-1"u8, JournalRecordKind.StreamStart, [1, 0, 0, 0, 0]);
        await journal.DisposeAsync();
        var segment = Directory.GetFiles(_folder.Path, "*.journal").Max()!;
        File.AppendAllText(segment, "half a record"); // a commit that never returned (process killed mid-write)

        var seen = Recover(out var reopened);
        await reopened.DisposeAsync();
        Assert.Equal(JournalRecordKind.StreamStart, Assert.Single(seen).Kind);
        Assert.Equal(8 + 2 + 4 + 5, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Damage_inside_an_older_segment_stops_the_start_and_names_the_file()
    {
        Recover(out var journal);
        await journal.Append("WB-1"u8, JournalRecordKind.StreamStart, [1, 0, 0, 0, 0]);
        await journal.DisposeAsync();
        Recover(out journal); // a second segment: the first is no longer the newest
        await journal.Append("WB-1"u8, JournalRecordKind.BootFinished, [1, 9, 0, 0, 0]);
        await journal.DisposeAsync();
        var oldest = Directory.GetFiles(_folder.Path, "*.journal").Min()!;
        var bytes = File.ReadAllBytes(oldest);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(oldest, bytes);

        var ex = Assert.Throws<JournalCorruptException>(() => Recover(out _));
        Assert.Equal(oldest, ex.Path);
        Assert.Contains(oldest, ex.Message);
        Assert.Contains("CRC", ex.Message);
    }
}
