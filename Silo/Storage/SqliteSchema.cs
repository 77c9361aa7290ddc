using Microsoft.Data.Sqlite;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// Applies the project's own SQLite schema (deploy/sqlite, copied next to the binaries) before Orleans
/// starts: Orleans ships no SQL in its packages, and its providers expect the tables and queries to exist.
/// Every script is idempotent, so this runs at every start.
/// </summary>
public static class SqliteSchema
{
    public static void Apply(string connectionString, string? scriptDirectory = null)
    {
        scriptDirectory ??= Path.Combine(AppContext.BaseDirectory, "schema", "sqlite");
        var scripts = Directory.GetFiles(scriptDirectory, "*.sql").Order(StringComparer.Ordinal).ToArray();
        if (scripts.Length == 0)
        {
            throw new InvalidOperationException($"No SQLite schema scripts found in {scriptDirectory}.");
        }

        EnsureDirectoryOf(connectionString);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        foreach (var script in scripts)
        {
            using var command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(script);
            command.ExecuteNonQuery();
        }
    }

    private static void EnsureDirectoryOf(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
