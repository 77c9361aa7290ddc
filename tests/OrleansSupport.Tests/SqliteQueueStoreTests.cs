using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Tests;

/// <summary><see cref="QueueStoreContract"/> on a SQLite file of its own.</summary>
public sealed class SqliteQueueStoreTests : QueueStoreContract
{
    private readonly string _database = TestClusters.NewDatabasePath();

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(TestClusters.SqliteWithSchema(_database));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TestClusters.DeleteDatabase(_database);
    }
}
