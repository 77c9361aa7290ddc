using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests;

/// <summary>
/// What the queues' store promises, run on SQLite (<see cref="SqliteQueueStoreTests"/>) and on PostgreSQL
/// (RealCluster/PostgresQueueStoreTests): rows come back in order with their exact times, a change writes
/// its own row and the header, and a stale version changes nothing.
/// </summary>
public abstract class QueueStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(3)).AddTicks(1_234_567);

    private GroupCommitWriter _writer = null!;
    private IQueueStore _store = null!;

    protected abstract StorageProvider Provider { get; }

    protected string ConnectionString { get; private set; } = "";

    protected IQueueStore Store => _store;

    /// <summary>An empty database with the project's schema applied; its connection string.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        _writer = new GroupCommitWriter(Provider, ConnectionString, NullLogger<GroupCommitWriter>.Instance);
        _store = new SqlQueueStore(_writer, Provider, ConnectionString, "tests", CompactStateSerializer.CreateStandalone());
    }

    public virtual async Task DisposeAsync() => await _writer.DisposeAsync();

    [Fact]
    public async Task Customers_come_back_in_serving_order_with_their_exact_waiting_times_and_the_header()
    {
        var queue = NewQueue();
        WaitingEntry[] entries =
        [
            new(Guid.NewGuid(), Start, 3), new(Guid.NewGuid(), Start, 1),
            new(Guid.NewGuid(), Start.AddTicks(1), 2), new(Guid.NewGuid(), Start.AddTicks(-1), 7),
        ];
        var header = new QueueHeader
        {
            Sequence = 42,
            RecentServices = [Start.AddMinutes(-3), Start.AddMinutes(-1)],
            History = [new QueueMinute { Start = Start.AddMinutes(-1), Waiting = 4, Served = 2, Abandoned = 1 }],
        };

        var version = await _store.WriteAsync(queue, 0, new QueueChanges(header, entries, []));
        var read = await _store.ReadAsync(queue);

        Assert.Equal((1L, 1L), (version, read.Version));
        Assert.Equal(
            new[] { entries[3], entries[1], entries[0], entries[2] }.Select(e => (e.SessionId, e.WaitingSince.UtcTicks, e.Arrival)),
            read.Waiting.Select(e => (e.SessionId, e.WaitingSince.UtcTicks, e.Arrival)));
        Assert.Equal(42, read.Header.Sequence);
        Assert.Equal(header.RecentServices, read.Header.RecentServices);
        var minute = Assert.Single(read.Header.History);
        Assert.Equal((Start.AddMinutes(-1), 4, 2, 1), (minute.Start, minute.Waiting, minute.Served, minute.Abandoned));
    }

    [Fact]
    public async Task Removed_entries_are_deleted_and_a_customer_who_came_back_has_their_new_entry()
    {
        var queue = NewQueue();
        WaitingEntry left = new(Guid.NewGuid(), Start, 1), returned = new(Guid.NewGuid(), Start, 2);
        await _store.WriteAsync(queue, 0, Changes(1, [left, returned]));

        await _store.WriteAsync(queue, 1, Changes(3, [returned with { WaitingSince = Start.AddSeconds(-5), Arrival = 3 }], [left, returned]));
        var read = await _store.ReadAsync(queue);

        Assert.Equal(2, read.Version);
        Assert.Equal([(returned.SessionId, Start.AddSeconds(-5).UtcTicks, 3L)], read.Waiting.Select(e => (e.SessionId, e.WaitingSince.UtcTicks, e.Arrival)));
        Assert.Equal(3, read.Header.Sequence);
    }

    [Fact]
    public async Task A_write_against_a_stale_version_is_refused_and_changes_nothing()
    {
        var queue = NewQueue();
        WaitingEntry first = new(Guid.NewGuid(), Start, 1), second = new(Guid.NewGuid(), Start.AddSeconds(1), 2);
        await _store.WriteAsync(queue, 0, Changes(1, [first]));
        await _store.WriteAsync(queue, 1, Changes(2, [second]));

        var stale = Changes(99, [new(Guid.NewGuid(), Start.AddSeconds(2), 3)], [first]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _store.WriteAsync(queue, 1, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _store.WriteAsync(queue, 0, stale)); // "nothing stored yet"
        var read = await _store.ReadAsync(queue);

        Assert.Equal((2L, 2L), (read.Version, read.Header.Sequence));
        Assert.Equal([first.SessionId, second.SessionId], read.Waiting.Select(e => e.SessionId));
    }

    [Fact]
    public async Task Removing_an_entry_that_is_not_stored_is_refused_and_changes_nothing()
    {
        var queue = NewQueue();
        WaitingEntry stored = new(Guid.NewGuid(), Start, 1), never = new(Guid.NewGuid(), Start, 2);
        await _store.WriteAsync(queue, 0, Changes(1, [stored]));

        var wrong = Changes(2, [new(Guid.NewGuid(), Start.AddSeconds(2), 3)], [stored, never]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _store.WriteAsync(queue, 1, wrong));
        var read = await _store.ReadAsync(queue);

        Assert.Equal((1L, 1L), (read.Version, read.Header.Sequence));
        Assert.Equal([stored.SessionId], read.Waiting.Select(e => e.SessionId));
    }

    [Fact]
    public async Task A_join_sends_its_own_row_and_the_header_whatever_the_line_length()
    {
        var (shortQueue, longQueue) = (NewQueue(), NewQueue());
        await _store.WriteAsync(shortQueue, 0, Changes(1, Entries(10)));
        await _store.WriteAsync(longQueue, 0, Changes(1, Entries(1_000)));
        using var sizes = new QueueWriteSizes();

        await _store.WriteAsync(shortQueue, 1, Changes(2, [new(Guid.NewGuid(), Start.AddDays(1), 5_000)]));
        await _store.WriteAsync(longQueue, 1, Changes(2, [new(Guid.NewGuid(), Start.AddDays(1), 5_000)]));

        Assert.Equal(sizes.Of(shortQueue), sizes.Of(longQueue));
        Assert.InRange(sizes.Of(longQueue).Single(), 1, 300);
        Assert.Equal((11L, 1_001L), (await CountRowsAsync(shortQueue), await CountRowsAsync(longQueue)));
    }

    protected static string NewQueue() => $"q{Guid.NewGuid():N}";

    protected static QueueChanges Changes(long sequence, WaitingEntry[] added, WaitingEntry[]? removed = null) =>
        new(new QueueHeader { Sequence = sequence }, added, removed ?? []);

    protected static WaitingEntry[] Entries(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new WaitingEntry(Guid.NewGuid(), Start.AddSeconds(i), i + 1))];

    private async Task<long> CountRowsAsync(string queue)
    {
        await using var connection = await StorageConnections.OpenAsync(Provider, ConnectionString);
        await using var command = SqlStatements.Command(connection, "SELECT COUNT(*) FROM SupportQueueEntry WHERE Queue = @Queue");
        SqlStatements.Add(command, "@Queue", queue);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
