using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests;

/// <summary><see cref="QueueStoreContract"/> on a SQLite file of its own.</summary>
public sealed class SqliteQueueStoreTests : QueueStoreContract
{
    private readonly string _database = TestClusters.NewDatabasePath();

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync()
    {
        var connectionString = $"Data Source={_database}";
        SqliteSchema.Apply(connectionString, Path.Combine(Repository.Root, "deploy", "sqlite"));
        return Task.FromResult(connectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TestClusters.DeleteDatabase(_database);
    }
}
