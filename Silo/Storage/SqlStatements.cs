using System.Data.Common;

namespace OrleansSupport.Silo.Storage;

/// <summary>The ADO.NET plumbing of the project's own storage code, for any provider it runs on.</summary>
public static class SqlStatements
{
    /// <summary>
    /// Runs <paramref name="statements"/> in order within <paramref name="transaction"/> and returns the rows
    /// each changed. Where the provider can (Npgsql), they go as one batch: one round trip to the server
    /// instead of one per statement; SQLite runs in this process, where a round trip costs nothing.
    /// </summary>
    public static async Task<int[]> ExecuteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements)
    {
        if (!connection.CanCreateBatch)
        {
            return await ExecuteOneByOneAsync(connection, transaction, statements);
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, value) in statement.Parameters)
            {
                var parameter = command.CreateParameter();
                (parameter.ParameterName, parameter.Value) = (name, value);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        var affected = new int[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }

    /// <summary>
    /// One command per distinct SQL text, its parameters bound again for each statement: SQLite then
    /// prepares a statement once, not once per row.
    /// </summary>
    private static async Task<int[]> ExecuteOneByOneAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements)
    {
        var affected = new int[statements.Count];
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < statements.Count; i++)
            {
                if (!commands.TryGetValue(statements[i].Sql, out var command))
                {
                    command = Command(connection, statements[i].Sql, transaction);
                    commands.Add(statements[i].Sql, command);
                }

                command.Parameters.Clear();
                foreach (var (name, value) in statements[i].Parameters)
                {
                    Add(command, name, value);
                }

                affected[i] = await command.ExecuteNonQueryAsync();
            }

            return affected;
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = (name, value);
        command.Parameters.Add(parameter);
    }
}
