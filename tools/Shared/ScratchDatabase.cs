using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Tools;

/// <summary>
/// An empty database for one benchmark measurement, removed when disposed: a SQLite file in a folder, or a
/// database of its own on a PostgreSQL server. Compiled into each benchmark that needs one.
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

    /// <param name="prefix">Names the file, so a folder shared by benchmarks tells whose it is.</param>
    public static ScratchDatabase Sqlite(string directory, string prefix)
    {
        Directory.CreateDirectory(directory);
        var file = Path.GetFullPath(Path.Combine(directory, $"{prefix}-{Guid.NewGuid():N}.db"));
        return new ScratchDatabase(StorageProvider.Sqlite, $"Data Source={file}", file, () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        });
    }

    /// <param name="prefix">Starts the database's name: letters, digits and underscores only.</param>
    public static ScratchDatabase Postgres(string serverConnectionString, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        Execute(serverConnectionString, $"CREATE DATABASE {name}"); // the prefix is the benchmark's constant, not input
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
