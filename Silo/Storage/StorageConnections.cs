using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Silo.Storage;

/// <summary>Opens the connections of the project's own storage code.</summary>
public static class StorageConnections
{
    /// <summary>How long a SQLite statement waits for another writer before it fails (ms).</summary>
    public const int SqliteBusyTimeoutMs = 30_000;

    public static async Task<DbConnection> OpenAsync(StorageProvider provider, string connectionString)
    {
        DbConnection connection = provider == StorageProvider.PostgreSQL
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            if (connection is SqliteConnection)
            {
                // Wait for another writer inside SQLite, which retries within milliseconds. Without it,
                // Microsoft.Data.Sqlite retries a locked database every 150 ms, and every chat message of
                // the batch waits that long (P3's message p99 went from 0.5-0.7 s to 0.1 s with it).
                await using var busyTimeout = connection.CreateCommand();
                busyTimeout.CommandText = $"PRAGMA busy_timeout = {SqliteBusyTimeoutMs}";
                await busyTimeout.ExecuteNonQueryAsync();
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A read-only transaction in which several statements see one state of the database. SQLite's is
    /// deferred, so it takes no write lock (in WAL mode a reader sees the last commit before its first read).
    /// </summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
}
