using Cocoon.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Cocoon.Silo.Tests.Storage;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private const string StateName = "counter";
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(CounterState).Assembly))
        .BuildServiceProvider();

    private readonly TempDirectory _folder = new("cocoon-sqlite");
    private SqliteGrainStorage _storage = null!;

    private string DatabasePath => _folder.File("grains.db");

    public async Task InitializeAsync() => _storage = await OpenAsync();

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Written_state_reads_back_equal_with_its_etag()
    {
        var grain = Grain("alice");
        var written = new GrainState<CounterState>(new CounterState { Count = 42, Label = "alice", Nano = UInt128.MaxValue });
        await _storage.WriteStateAsync(StateName, grain, written);

        var read = await ReadAsync(_storage, grain);
        Assert.True(read.RecordExists);
        Assert.Equal(written.State, read.State);
        Assert.Equal("1", read.ETag);
        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
    }

    [Fact]
    public async Task Missing_state_reads_as_default_and_not_existing()
    {
        var read = await ReadAsync(_storage, Grain("nobody"));
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(new CounterState(), read.State);
    }

    [Fact]
    public async Task Etags_increase_with_each_write()
    {
        var grain = Grain("bob");
        var state = new GrainState<CounterState>(new CounterState());
        for (var i = 1; i <= 3; i++)
        {
            state.State = state.State! with { Count = i };
            await _storage.WriteStateAsync(StateName, grain, state);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), state.ETag);
        }

        Assert.Equal(3, (await ReadAsync(_storage, grain)).State!.Count);
    }

    [Fact]
    public async Task Stale_etag_is_rejected_and_the_stored_row_is_unchanged()
    {
        var grain = Grain("carol");
        var first = new GrainState<CounterState>(new CounterState { Count = 1 });
        await _storage.WriteStateAsync(StateName, grain, first);
        var stale = new GrainState<CounterState>(new CounterState { Count = 99 }) { ETag = first.ETag };
        first.State = new CounterState { Count = 2 };
        await _storage.WriteStateAsync(StateName, grain, first);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, stale));
        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        Assert.Equal("1", stale.ETag);

        var read = await ReadAsync(_storage, grain);
        Assert.Equal(2, read.State!.Count);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Null_etag_over_an_existing_row_is_a_conflict()
    {
        var grain = Grain("dave");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 1 }));

        var blind = new GrainState<CounterState>(new CounterState { Count = 7 });
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, blind));
        Assert.Equal("1", conflict.StoredEtag);
        Assert.Null(conflict.CurrentEtag);
        Assert.Equal(1, (await ReadAsync(_storage, grain)).State!.Count);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("not-an-etag")]
    [InlineData("-1")]
    public async Task Etag_when_no_row_exists_is_a_conflict(string etag)
    {
        var grain = Grain("erin-" + etag);
        var state = new GrainState<CounterState>(new CounterState { Count = 1 }) { ETag = etag };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, state));
        Assert.Null(conflict.StoredEtag);
        Assert.Equal(etag, conflict.CurrentEtag);
        Assert.False((await ReadAsync(_storage, grain)).RecordExists);
    }

    [Fact]
    public async Task Cleared_state_reads_as_default_and_its_etag_keeps_increasing()
    {
        var grain = Grain("frank");
        var state = new GrainState<CounterState>(new CounterState { Count = 5 });
        await _storage.WriteStateAsync(StateName, grain, state);

        await _storage.ClearStateAsync(StateName, grain, state);
        Assert.False(state.RecordExists);
        Assert.Equal("2", state.ETag);
        Assert.Equal(new CounterState(), state.State);

        var read = await ReadAsync(_storage, grain);
        Assert.False(read.RecordExists);
        Assert.Equal(new CounterState(), read.State);
        Assert.Equal("2", read.ETag);

        // A fresh activation writes again from the tombstone's version; one that never read it cannot.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 1 })));
        read.State = new CounterState { Count = 8 };
        await _storage.WriteStateAsync(StateName, grain, read);
        Assert.Equal("3", read.ETag);
        Assert.Equal(8, (await ReadAsync(_storage, grain)).State!.Count);
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_is_rejected_and_changes_nothing()
    {
        var grain = Grain("grace");
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await _storage.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<CounterState>(state.State) { ETag = state.ETag };
        state.State = new CounterState { Count = 2 };
        await _storage.WriteStateAsync(StateName, grain, state);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, stale));
        Assert.Equal("2", conflict.StoredEtag);
        var read = await ReadAsync(_storage, grain);
        Assert.True(read.RecordExists);
        Assert.Equal(2, read.State!.Count);

        var blind = new GrainState<CounterState>(new CounterState());
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, blind));
        Assert.True((await ReadAsync(_storage, grain)).RecordExists);
    }

    [Fact]
    public async Task Clearing_a_state_never_written_is_a_no_op()
    {
        var state = new GrainState<CounterState>(new CounterState { Count = 3 });
        await _storage.ClearStateAsync(StateName, Grain("heidi"), state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(new CounterState(), state.State);
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row()
    {
        await using var storage = await OpenAsync(o => o.DeleteStateOnClear = true);
        var grain = Grain("ivan");
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);
        Assert.Null(state.ETag);

        var read = await ReadAsync(storage, grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        read.State = new CounterState { Count = 4 };
        await storage.WriteStateAsync(StateName, grain, read);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task States_of_other_names_and_grains_are_separate()
    {
        var grain = Grain("judy");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 1 }));
        await _storage.WriteStateAsync("other", grain, new GrainState<CounterState>(new CounterState { Count = 2 }));
        await _storage.WriteStateAsync(StateName, Grain("judy2"), new GrainState<CounterState>(new CounterState { Count = 3 }));

        Assert.Equal(1, (await ReadAsync(_storage, grain)).State!.Count);
        Assert.Equal(2, (await ReadAsync(_storage, grain, "other")).State!.Count);
        Assert.Equal(3, (await ReadAsync(_storage, Grain("judy2"))).State!.Count);
    }

    [Fact]
    public async Task Many_grains_writing_at_once_all_persist_and_share_commits()
    {
        const int Grains = 200;
        const int WritesPerGrain = 5;
        var commitsBefore = _storage.CommitCount;
        await Task.WhenAll(Enumerable.Range(0, Grains).Select(async i =>
        {
            var grain = Grain($"load-{i}");
            var state = new GrainState<CounterState>(new CounterState());
            for (var n = 1; n <= WritesPerGrain; n++)
            {
                state.State = state.State! with { Count = n, Label = grain.ToString() };
                await _storage.WriteStateAsync(StateName, grain, state);
            }
        }));

        await using var reopened = await ReopenAsync();
        for (var i = 0; i < Grains; i++)
        {
            var read = await ReadAsync(reopened, Grain($"load-{i}"));
            Assert.Equal(WritesPerGrain, read.State!.Count);
            Assert.Equal(WritesPerGrain.ToString(System.Globalization.CultureInfo.InvariantCulture), read.ETag);
        }

        // 1000 writes queued by 200 concurrent callers: group commit must have put several in one transaction.
        Assert.True(_storage.CommitCount - commitsBefore < Grains * WritesPerGrain, $"{_storage.CommitCount - commitsBefore} commits");
    }

    [Fact]
    public async Task State_survives_closing_and_reopening_the_file()
    {
        var grain = Grain("kate");
        var state = new GrainState<CounterState>(new CounterState { Count = 11, Label = "before restart" });
        await _storage.WriteStateAsync(StateName, grain, state);
        await _storage.DisposeAsync();

        _storage = await OpenAsync();
        var read = await ReadAsync(_storage, grain);
        Assert.Equal(state.State, read.State);
        Assert.Equal("1", read.ETag);
        read.State = read.State! with { Count = 12 };
        await _storage.WriteStateAsync(StateName, grain, read);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Storage_that_is_not_open_says_so()
    {
        await using var closed = Create(_folder.File("never-opened.db"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => closed.ReadStateAsync(StateName, Grain("x"), new GrainState<CounterState>()));
        Assert.Contains("not open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_database_path_is_a_configuration_error()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => Create(" "));
        Assert.Contains("DatabasePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_from_a_newer_layout_is_refused()
    {
        var path = _folder.File("future.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version=99;";
            command.ExecuteNonQuery();
        }

        await using var storage = Create(path);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.OpenAsync());
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_uses_wal()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_batch_that_cannot_commit_fails_its_writes_and_the_next_batch_commits()
    {
        await using var storage = await OpenAsync(o => o.BusyTimeout = TimeSpan.FromMilliseconds(50));
        var grain = Grain("locked-out");
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync(StateName, grain, state);

        // Another process holds the write lock past the busy timeout: this batch's BEGIN fails, nothing is applied.
        using (var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            other.Open();
            using var lockIt = other.CreateCommand();
            lockIt.CommandText = "BEGIN IMMEDIATE;";
            lockIt.ExecuteNonQuery();
            state.State = new CounterState { Count = 2 };
            var failed = await Assert.ThrowsAsync<SqliteException>(() => storage.WriteStateAsync(StateName, grain, state));
            Assert.Equal(5, failed.SqliteErrorCode); // SQLITE_BUSY
            Assert.Equal("1", state.ETag);
        }

        // The lock is gone: the same write commits, and the writer holds no transaction left over from the failure.
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("2", state.ETag);
        await using var reopened = await ReopenAsync();
        Assert.Equal(2, (await ReadAsync(reopened, grain)).State!.Count);
    }

    [Fact]
    public async Task The_wal_is_checkpointed_by_a_background_connection_and_not_by_the_writer_every_1000_pages()
    {
        // Files of their own: the fixture's open storage would checkpoint a shared file.
        async Task WriteManyAsync(SqliteGrainStorage storage)
        {
            var label = new string('w', 8_000);
            for (var round = 0; round < 15; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
                    storage.WriteStateAsync(StateName, Grain($"wal-{round}-{i}"), new GrainState<CounterState>(new CounterState { Count = i, Label = label }))));
            }
        }

        // A checkpointer that does not run during the test: the writer alone must not checkpoint at SQLite's default
        // 1,000 pages (4 MB), so the WAL holds all 1,500 rows of 8 KB.
        var idlePath = _folder.File("idle.db");
        await using (var idle = Create(idlePath, o => o.CheckpointInterval = TimeSpan.FromHours(1)))
        {
            await idle.OpenAsync();
            await WriteManyAsync(idle);
            Assert.Equal(0, idle.Checkpointer!.FramesCopied);
            var walBytes = new FileInfo(idlePath + "-wal").Length;
            Assert.True(walBytes > 10_000_000, $"the WAL is {walBytes} bytes: the writer checkpointed by itself");
        }

        // Every 20 ms: the background connection copies the frames into the file.
        var busyPath = _folder.File("busy.db");
        await using (var busy = Create(busyPath, o => o.CheckpointInterval = TimeSpan.FromMilliseconds(20)))
        {
            await busy.OpenAsync();
            await WriteManyAsync(busy);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (busy.Checkpointer!.FramesCopied < 2_000 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(busy.Checkpointer.FramesCopied >= 2_000, $"{busy.Checkpointer.FramesCopied} frames copied in {busy.Checkpointer.Checkpoints} checkpoints");
        }
        await using var reopened = Create(busyPath);
        await reopened.OpenAsync();
        Assert.Equal(99, (await ReadAsync(reopened, Grain("wal-14-99"))).State!.Count);

        // Zero leaves checkpoints to the writer, as SQLite does by default.
        await using var classic = Create(_folder.File("classic.db"), o => o.CheckpointInterval = TimeSpan.Zero);
        await classic.OpenAsync();
        Assert.Null(classic.Checkpointer);
    }

    [Fact]
    public async Task With_the_Orleans_serializer_it_stores_the_bytes_the_Orleans_storage_serializer_writes()
    {
        // The silo passes the Orleans serializer: payloads come from one reused buffer per thread, large then small.
        var serializer = Services.GetRequiredService<Serializer>();
        await using var storage = Create(DatabasePath, orleansSerializer: serializer);
        await storage.OpenAsync();
        var reference = new OrleansGrainStorageSerializer(serializer);
        var states = new[]
        {
            new CounterState { Count = 1, Label = new string('x', 40_000), Nano = 7 }, // beyond the buffer's first size
            new CounterState { Count = 2, Label = "small" },
        };
        foreach (var (state, i) in states.Select((s, i) => (s, i)))
        {
            var grain = Grain("exact-" + i);
            await storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(state));
            Assert.Equal(reference.Serialize(state).ToArray(), StoredPayload(grain));
            Assert.Equal(state, (await ReadAsync(_storage, grain)).State); // read by an instance without the buffer
        }
    }

    private byte[] StoredPayload(GrainId grain)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
        command.Parameters.AddWithValue("$state", StateName);
        command.Parameters.AddWithValue("$grain", grain.ToString());
        return (byte[])command.ExecuteScalar()!;
    }

    private static GrainId Grain(string key) => GrainId.Create("counter", key);

    private static async Task<GrainState<CounterState>> ReadAsync(SqliteGrainStorage storage, GrainId grain, string stateName = StateName)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    private async Task<SqliteGrainStorage> OpenAsync(Action<SqliteGrainStorageOptions>? configure = null)
    {
        var storage = Create(DatabasePath, configure);
        await storage.OpenAsync();
        return storage;
    }

    private async Task<SqliteGrainStorage> ReopenAsync()
    {
        // A second instance over the same file, as a restarted silo would open it.
        var storage = Create(DatabasePath);
        await storage.OpenAsync();
        return storage;
    }

    private static SqliteGrainStorage Create(string path, Action<SqliteGrainStorageOptions>? configure = null, Serializer? orleansSerializer = null)
    {
        var options = new SqliteGrainStorageOptions
        {
            DatabasePath = path,
            GrainStorageSerializer = new OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>()),
        };
        configure?.Invoke(options);
        return new SqliteGrainStorage("test", options, Services.GetRequiredService<IActivatorProvider>(), NullLogger<SqliteGrainStorage>.Instance,
            orleansSerializer: orleansSerializer);
    }
}
