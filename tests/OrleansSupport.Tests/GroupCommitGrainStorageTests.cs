using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests;

/// <summary>The storage that commits many grains' writes together, on a real SQLite file.</summary>
public sealed class GroupCommitGrainStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"group-commit-{Guid.NewGuid():N}");
    private readonly GroupCommitWriter _writer;
    private readonly GroupCommitGrainStorage _storage;

    public GroupCommitGrainStorageTests()
    {
        Directory.CreateDirectory(_directory);
        var connection = $"Data Source={Path.Combine(_directory, "state.db")}";
        SqliteSchema.Apply(connection, Path.Combine(Repository.Root, "deploy", "sqlite"));
        _writer = new GroupCommitWriter(StorageProvider.Sqlite, connection, NullLogger<GroupCommitWriter>.Instance);
        _storage = new GroupCommitGrainStorage(_writer, StorageProvider.Sqlite, connection, "tests", new JsonStateSerializer());
    }

    public sealed class Note
    {
        public string Text { get; set; } = "";
    }

    private sealed class Stored<T>(T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    [Fact]
    public async Task Its_SQLite_connections_wait_for_another_writer_inside_SQLite()
    {
        // Microsoft.Data.Sqlite's own retry of a locked database sleeps 150 ms a time; SQLite's busy
        // timeout retries within milliseconds.
        var connectionString = $"Data Source={Path.Combine(_directory, "state.db")}";
        await using var connection = await StorageConnections.OpenAsync(StorageProvider.Sqlite, connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        Assert.Equal((long)StorageConnections.SqliteBusyTimeoutMs, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Many_concurrent_writes_are_all_stored_and_read_back()
    {
        var grains = Enumerable.Range(0, 300).Select(i => (Id: GrainId.Create("session", $"g{i}"), State: new Stored<Note>(new Note { Text = $"note {i}" }))).ToList();
        await Task.WhenAll(grains.Select(g => _storage.WriteStateAsync("s", g.Id, g.State)));
        await Task.WhenAll(grains.Select(g => _storage.WriteStateAsync("s", g.Id, g.State))); // second version

        foreach (var (id, state) in grains)
        {
            var read = new Stored<Note>(new Note());
            await _storage.ReadStateAsync("s", id, read);
            Assert.True(read.RecordExists);
            Assert.Equal("2", read.ETag);
            Assert.Equal(state.State.Text, read.State.Text);
        }
    }

    [Fact]
    public async Task A_write_against_a_stale_version_fails_and_leaves_the_others_in_its_batch_stored()
    {
        var id = GrainId.Create("session", "stale");
        var first = new Stored<Note>(new Note { Text = "first" });
        await _storage.WriteStateAsync("s", id, first);
        var stale = new Stored<Note>(new Note { Text = "stale" }) { ETag = first.ETag, RecordExists = true };
        await _storage.WriteStateAsync("s", id, first); // version 2: "stale" still holds version 1

        var bystander = new Stored<Note>(new Note { Text = "bystander" });
        var bystanderId = GrainId.Create("session", "bystander");
        var writes = new[] { _storage.WriteStateAsync("s", id, stale), _storage.WriteStateAsync("s", bystanderId, bystander) };
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[0]);
        await writes[1];

        var read = new Stored<Note>(new Note());
        await _storage.ReadStateAsync("s", id, read);
        Assert.Equal("first", read.State.Text);
        Assert.Equal("2", read.ETag);
        await _storage.ReadStateAsync("s", bystanderId, read);
        Assert.Equal("bystander", read.State.Text);

        // A new grain that thinks it has no row must not overwrite one that exists.
        var blind = new Stored<Note>(new Note { Text = "blind" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", id, blind));
    }

    [Fact]
    public async Task Cleared_state_reads_as_absent()
    {
        var id = GrainId.Create("session", "cleared");
        var state = new Stored<Note>(new Note { Text = "gone soon" });
        await _storage.WriteStateAsync("s", id, state);
        await _storage.ClearStateAsync("s", id, state);

        var read = new Stored<Note>(new Note());
        await _storage.ReadStateAsync("s", id, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    public void Dispose()
    {
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }
}
