using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests.RealCluster;

/// <summary><see cref="QueueStoreContract"/> on the real PostgreSQL of the test run, a database per test.</summary>
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
}
