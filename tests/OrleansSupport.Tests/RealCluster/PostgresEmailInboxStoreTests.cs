using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;
using Xunit.Abstractions;

namespace OrleansSupport.Tests.RealCluster;

/// <summary><see cref="EmailInboxStoreContract"/> on the real PostgreSQL of the test run, a database per test.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class PostgresEmailInboxStoreTests(PostgresFixture postgres, ITestOutputHelper output) : EmailInboxStoreContract(output)
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        PostgresSchema.Apply(connectionString, Path.Combine(Repository.Root, "deploy", "postgresql"));
        return connectionString;
    }
}
