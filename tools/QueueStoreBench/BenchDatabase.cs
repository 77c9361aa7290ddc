using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.QueueStoreBench;

/// <summary>An empty database with the project's schema, for one measurement; removed when disposed.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly Action _remove;

    private BenchDatabase(StorageProvider provider, string connectionString, Action remove) =>
        (Provider, ConnectionString, _remove) = (provider, connectionString, remove);

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    public static BenchDatabase Sqlite(string directory)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={file}";
        SqliteSchema.Apply(connectionString);
        return new BenchDatabase(StorageProvider.Sqlite, connectionString, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        });
    }

    public static BenchDatabase Postgres(string serverConnectionString)
    {
        var name = $"queue_bench_{Guid.NewGuid():N}";
        Execute(serverConnectionString, $"CREATE DATABASE {name}"); // name is ours, not input
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        PostgresSchema.Apply(connectionString);
        return new BenchDatabase(StorageProvider.PostgreSQL, connectionString, () =>
        {
            NpgsqlConnection.ClearAllPools();
            Execute(serverConnectionString, $"DROP DATABASE {name}");
        });
    }

    public ValueTask DisposeAsync()
    {
        _remove();
        return ValueTask.CompletedTask;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
