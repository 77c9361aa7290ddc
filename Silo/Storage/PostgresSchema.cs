using Npgsql;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// Applies the project's PostgreSQL schema (deploy/postgresql, copied next to the binaries) at silo start.
/// The scripts are idempotent; an advisory lock keeps silos that start together from racing on them.
/// </summary>
public static class PostgresSchema
{
    /// <summary>Any fixed number: it names the lock every silo of every service takes for the schema.</summary>
    private const long SchemaLock = 7_001_004_502;

    public static void Apply(string connectionString, string? scriptDirectory = null)
    {
        scriptDirectory ??= Path.Combine(AppContext.BaseDirectory, "schema", "postgresql");
        var scripts = Directory.GetFiles(scriptDirectory, "*.sql").Order(StringComparer.Ordinal).ToArray();
        if (scripts.Length == 0)
        {
            throw new InvalidOperationException($"No PostgreSQL schema scripts found in {scriptDirectory}.");
        }

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection, $"SELECT pg_advisory_lock({SchemaLock})");
        try
        {
            foreach (var script in scripts)
            {
                Execute(connection, File.ReadAllText(script));
            }
        }
        finally
        {
            Execute(connection, $"SELECT pg_advisory_unlock({SchemaLock})");
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
