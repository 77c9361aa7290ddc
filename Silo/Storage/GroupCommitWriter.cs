using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// The one writer of the project's own storage in a silo: grain states (<see cref="GroupCommitGrainStorage"/>)
/// and queues (<see cref="SqlQueueStore"/>). Writes queue while the previous transaction commits and go
/// together in the next one; each caller hears back only once its own write is durable. One durable commit
/// costs a disk flush, so a commit per write caps a silo at a few thousand writes a second; and SQLite has
/// one write lock per database, so two writers of our own would only take turns at it, each waiting in
/// SQLite's busy handler (sleeps of up to 100 ms) while the other commits.
/// </summary>
/// <remarks>
/// A write whose statements must all hold or none (a queue's header and its rows) runs inside a savepoint
/// and is undone alone when they do not hold; the others' writes still commit. A database error fails every
/// write of the transaction. The connection is kept between transactions and opened again after a failure.
/// A kept connection the server closed meanwhile (a database restart) fails on its first statement; as
/// nothing of that transaction reached a commit, it goes again once on a new connection, so the first
/// writer after a restart is not refused.
/// </remarks>
public sealed partial class GroupCommitWriter(StorageProvider provider, string connectionString, ILogger<GroupCommitWriter> logger) : IAsyncDisposable
{
    /// <summary>A transaction holds at most about this many statements; what queues behind goes in the next.</summary>
    private const int MaxStatements = 512;

    private readonly Channel<Write> _pending = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;
    private Task _writing = Task.CompletedTask;
    private DbConnection? _connection;

    /// <summary>Statements to commit together, and, for all-or-nothing writes, what the rows they changed must show.</summary>
    private sealed record Write(IReadOnlyList<SqlStatement> Statements, Func<int[], bool>? Holds)
    {
        public TaskCompletionSource<int[]?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Commits <paramref name="statements"/> in the next transaction and returns the rows each changed. With
    /// <paramref name="holds"/>, the statements are undone when it says the rows do not hold, and the answer
    /// is null.
    /// </summary>
    public Task<int[]?> WriteAsync(IReadOnlyList<SqlStatement> statements, Func<int[], bool>? holds = null)
    {
        var write = new Write(statements, holds);
        _pending.Writer.TryWrite(write);
        if (Interlocked.CompareExchange(ref _started, 1, 0) == 0)
        {
            _writing = Task.Run(WriteBatchesAsync);
        }

        return write.Done.Task;
    }

    /// <summary>Commits what is queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writing;
        await DropConnectionAsync();
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Write>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            var statements = 0;
            while (statements < MaxStatements && _pending.Reader.TryRead(out var write))
            {
                batch.Add(write);
                statements += write.Statements.Count;
            }

            try
            {
                var results = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                LogBatchFailed(ex, batch.Count);
                await DropConnectionAsync();
                batch.ForEach(write => write.Done.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    private async Task<int[]?[]> CommitAsync(List<Write> batch)
    {
        var kept = _connection is not null;
        DbTransaction transaction;
        int[]?[] results;
        try
        {
            (transaction, results) = await WriteUncommittedAsync(batch);
        }
        catch (DbException ex) when (kept && _connection?.State != ConnectionState.Open)
        {
            LogConnectionLost(ex);
            await DropConnectionAsync();
            (transaction, results) = await WriteUncommittedAsync(batch);
        }

        await using (transaction)
        {
            await transaction.CommitAsync();
        }

        return results;
    }

    /// <summary>
    /// Runs the batch in a new transaction and leaves it open for the caller to commit; a failed statement
    /// undoes it.
    /// </summary>
    private async Task<(DbTransaction Transaction, int[]?[] Results)> WriteUncommittedAsync(List<Write> batch)
    {
        var connection = _connection ??= await StorageConnections.OpenAsync(provider, connectionString);
        var transaction = await connection.BeginTransactionAsync();
        try
        {
            return (transaction, await ExecuteAsync(connection, transaction, batch));
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task<int[]?[]> ExecuteAsync(DbConnection connection, DbTransaction transaction, List<Write> batch)
    {
        var results = new int[]?[batch.Count];
        for (var i = 0; i < batch.Count;)
        {
            if (batch[i].Holds is { } holds)
            {
                results[i] = await AllOrNothingAsync(connection, transaction, batch[i].Statements, holds);
                i++;
                continue;
            }

            // A run of plain writes goes as one: one round trip to a database server.
            var end = i;
            while (end < batch.Count && batch[end].Holds is null)
            {
                end++;
            }

            var changed = await SqlStatements.ExecuteAsync(connection, transaction, [.. batch[i..end].SelectMany(w => w.Statements)]);
            var offset = 0;
            for (; i < end; i++)
            {
                var count = batch[i].Statements.Count;
                results[i] = changed[offset..(offset + count)];
                offset += count;
            }
        }

        return results;
    }

    private static async Task<int[]?> AllOrNothingAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements, Func<int[], bool> holds)
    {
        await SqlStatements.ExecuteAsync(connection, transaction, [new SqlStatement("SAVEPOINT write")]);
        var changed = await SqlStatements.ExecuteAsync(connection, transaction, statements);
        if (holds(changed))
        {
            await SqlStatements.ExecuteAsync(connection, transaction, [new SqlStatement("RELEASE SAVEPOINT write")]);
            return changed;
        }

        await SqlStatements.ExecuteAsync(connection, transaction, [new SqlStatement("ROLLBACK TO SAVEPOINT write"), new SqlStatement("RELEASE SAVEPOINT write")]);
        return null;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The kept storage connection was closed by the server; writing again on a new one")]
    private partial void LogConnectionLost(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transaction of {Count} writes could not be committed")]
    private partial void LogBatchFailed(Exception ex, int count);
}
