using Cocoon.Client.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Client.Tests.Client;

public sealed class SealedKeyStoreTests : IDisposable
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("cocoon-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Key(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    [Fact]
    public void A_saved_key_is_found_by_another_store_on_the_folder_and_the_log_is_owner_only()
    {
        using (var writer = new SealedKeyStore(_folder, Month))
        {
            writer.Save("job-1", Key(1));
            writer.Save("job-2", Key(2));
            Assert.Equal(Key(1), writer.Find("job-1"));
        }

        // Another process: nothing in memory, so it reads the log.
        using var reader = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(2), reader.Find("job-2"));
        Assert.Equal(Key(1), reader.Find("job-1"));
        Assert.Null(reader.Find("job-3"));
        var log = Assert.Single(Directory.GetFiles(_folder));
        Assert.Matches(@"keys-\d{8}-\d+-[0-9a-f]{8}\.log$", log);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
    }

    [Fact]
    public void A_key_is_found_by_another_store_while_the_writer_keeps_its_log_open()
    {
        using var writer = new SealedKeyStore(_folder, Month);
        writer.Save("open-1", Key(5));
        using var reader = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(5), reader.Find("open-1"));
        writer.Save("open-2", Key(6));
        Assert.Equal(Key(6), reader.Find("open-2"));
    }

    [Fact]
    public void Each_find_returns_its_own_copy_so_an_opener_that_wipes_its_key_spoils_no_later_one()
    {
        using var store = new SealedKeyStore(_folder, Month);
        var key = Key(4);
        store.Save("wiped", key);
        Array.Clear(key); // the sealer's own array, wiped by its opener

        var first = store.Find("wiped")!;
        Assert.Equal(Key(4), first);
        Array.Clear(first); // ResponseStreamOpener wipes the key it is given
        Assert.Equal(Key(4), store.Find("wiped"));
    }

    [Fact]
    public void A_job_id_saved_twice_opens_with_its_latest_key()
    {
        using (var store = new SealedKeyStore(_folder, Month))
        {
            store.Save("again", Key(1));
            store.Save("again", Key(2));
            Assert.Equal(Key(2), store.Find("again"));
        }
        using var reader = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(2), reader.Find("again"));
    }

    [Fact]
    public void A_log_cut_short_by_a_crash_keeps_its_whole_records()
    {
        using (var store = new SealedKeyStore(_folder, Month))
        {
            store.Save("whole", Key(7));
            store.Save("torn", Key(8));
        }
        var log = Assert.Single(Directory.GetFiles(_folder));
        using (var file = new FileStream(log, FileMode.Open))
            file.SetLength(file.Length - 5);

        using var reader = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(7), reader.Find("whole"));
        Assert.Null(reader.Find("torn"));
    }

    [Fact]
    public void A_per_job_key_file_of_an_earlier_version_is_still_read()
    {
        File.WriteAllBytes(Path.Combine(_folder, "legacy.key"), Key(9));
        using var store = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(9), store.Find("legacy"));
    }

    [Fact]
    public void Logs_roll_each_day_and_both_days_stay_readable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.Zero));
        using var store = new SealedKeyStore(_folder, Month, time);
        store.Save("monday", Key(1));
        time.Advance(TimeSpan.FromMinutes(2));
        store.Save("tuesday", Key(2));

        var logs = Directory.GetFiles(_folder).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(2, logs.Length);
        Assert.StartsWith("keys-20261124-", logs[0]);
        Assert.StartsWith("keys-20261125-", logs[1]);
        using var reader = new SealedKeyStore(_folder, Month);
        Assert.Equal(Key(1), reader.Find("monday"));
        Assert.Equal(Key(2), reader.Find("tuesday"));
    }

    [Fact]
    public async Task Opening_a_log_deletes_logs_and_key_files_older_than_the_retention_and_nothing_else()
    {
        var oldLog = Path.Combine(_folder, "keys-20260101-1-00000000.log");
        var oldKey = Path.Combine(_folder, "old.key");
        var recentKey = Path.Combine(_folder, "recent.key");
        var other = Path.Combine(_folder, "notes.txt");
        foreach (var f in new[] { oldLog, oldKey, recentKey, other }) File.WriteAllBytes(f, Key(3));
        foreach (var f in new[] { oldLog, oldKey, other }) File.SetLastWriteTimeUtc(f, DateTime.UtcNow - TimeSpan.FromDays(40));

        using var store = new SealedKeyStore(_folder, Month);
        store.Save("new", Key(4));

        await Eventually.True(() => Task.FromResult(!File.Exists(oldLog) && !File.Exists(oldKey)), TimeSpan.FromSeconds(10), () => "the expired log and key file are still there");
        Assert.True(File.Exists(recentKey));
        Assert.True(File.Exists(other)); // not the store's
        Assert.Equal(Key(4), store.Find("new"));
    }

    [Fact]
    public void Bad_input_is_refused_and_nothing_is_written()
    {
        using var store = new SealedKeyStore(_folder, Month);
        Assert.Throws<ArgumentException>(() => store.Save("not/an/id", Key(1)));
        Assert.Throws<ArgumentException>(() => store.Save("ok", []));
        Assert.Null(store.Find("../escape"));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SealedKeyStore(_folder, TimeSpan.Zero));
    }
}
