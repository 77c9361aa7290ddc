using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// <see cref="QueueStoreContract"/> on the real PostgreSQL of the test run, a database per test; and a
/// server restart under a writer that holds its connection.
/// </summary>
[Collection(RealClusterCollection.Name)]
public sealed class PostgresQueueStoreTests(PostgresFixture postgres) : QueueStoreContract
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        PostgresSchema.Apply(connectionString, Path.Combine(Repository.Root, "deploy", "postgresql"));
        return connectionString;
    }

    [Fact]
    public async Task The_first_write_after_a_server_restart_is_stored_on_a_new_connection()
    {
        var queue = NewQueue();
        var before = Entries(2);
        await Store.WriteAsync(queue, 0, Changes(1, before[..1]));

        await postgres.StopAsync();
        await postgres.StartAsync();
        var version = await Store.WriteAsync(queue, 1, Changes(2, before[1..]));
        var read = await Store.ReadAsync(queue);

        Assert.Equal((2L, 2L, 2L), (version, read.Version, read.Header.Sequence));
        Assert.Equal(before.Select(e => e.SessionId), read.Waiting.Select(e => e.SessionId));
    }
}
