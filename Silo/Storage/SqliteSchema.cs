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

        OwnerOnlyFile(connectionString);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        foreach (var script in scripts)
        {
            using var command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(script);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The database holds transcripts, e-mail requests and password hashes: only the service's user may read
    /// it. A folder made here is the user's only; the file is made, or narrowed, to read-write for the user,
    /// and SQLite gives its -wal and -shm files the mode of the database file.
    /// </summary>
    private static void OwnerOnlyFile(string connectionString)
    {
        var settings = new SqliteConnectionStringBuilder(connectionString);
        if (settings.Mode == SqliteOpenMode.Memory || settings.DataSource is "" or ":memory:")
        {
            return;
        }

        var file = Path.GetFullPath(settings.DataSource);
        var directory = Path.GetDirectoryName(file);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(file))
        {
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = ReadWrite });
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            if (File.Exists(path) && File.GetUnixFileMode(path) != ReadWrite)
            {
                File.SetUnixFileMode(path, ReadWrite);
            }
        }
    }
}
