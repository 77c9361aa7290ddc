using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// An empty database for one provider's run, removed when disposed. The schema is not applied here: the
/// silo applies it at start, as the real one does.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly Action _remove;

    private ScratchDatabase(StorageProvider provider, string connectionString, string description, Action remove) =>
        (Provider, ConnectionString, Description, _remove) = (provider, connectionString, description, remove);

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Where the data lives, for the log (no credentials).</summary>
    public string Description { get; }

    public static ScratchDatabase Create(StorageProvider provider, BenchOptions options) => provider switch
    {
        StorageProvider.PostgreSQL => Postgres(options.PostgresServer
            ?? throw new InvalidOperationException("PostgreSQL needs --postgres.")),
        _ => Sqlite(options.SqliteDirectory),
    };

    private static ScratchDatabase Sqlite(string directory)
    {
        Directory.CreateDirectory(directory);
        var file = Path.GetFullPath(Path.Combine(directory, $"hot-queue-{Guid.NewGuid():N}.db"));
        return new ScratchDatabase(StorageProvider.Sqlite, $"Data Source={file}", file, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        });
    }

    private static ScratchDatabase Postgres(string serverConnectionString)
    {
        var name = $"hot_queue_{Guid.NewGuid():N}";
        Execute(serverConnectionString, $"CREATE DATABASE {name}"); // the name is ours, not input
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        return new ScratchDatabase(StorageProvider.PostgreSQL, connectionString, $"{server.Host}:{server.Port}/{name}", () =>
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
