using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.Tests;

/// <summary>The SQLite database holds transcripts and password hashes: the service's user only (issue 17, finding 8).</summary>
[UnsupportedOSPlatform("windows")] // file modes
public sealed class SqliteFileModeTests : IDisposable
{
    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleans-support-tests", $"modes-{Guid.NewGuid():N}");

    [Fact]
    public void A_new_database_and_its_new_folder_are_the_user_s_only_and_so_is_its_write_ahead_log()
    {
        var file = Path.Combine(_folder, "data", "orleans-support.db");

        Apply(file);
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var write = connection.CreateCommand();
            write.CommandText = "CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1);";
            write.ExecuteNonQuery();
            Assert.Equal(ReadWrite, File.GetUnixFileMode(file + "-wal"));
        }

        Assert.Equal(ReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(ReadWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void A_database_left_readable_by_everyone_is_narrowed_at_start()
    {
        var file = Path.Combine(_folder, "orleans-support.db");
        Apply(file);
        File.SetUnixFileMode(file, ReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // 0644, as before

        Apply(file);

        Assert.Equal(ReadWrite, File.GetUnixFileMode(file));
    }

    private static void Apply(string file) =>
        SqliteSchema.Apply($"Data Source={file}", Path.Combine(Repository.Root, "deploy", "sqlite"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
