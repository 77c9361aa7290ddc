using System.Data.Common;
using System.Globalization;
using Orleans.Storage;
using OrleansSupport.Queues;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// The queues' storage on SQLite or PostgreSQL: one row per waiting customer (SupportQueueEntry) and a
/// small header per queue (SupportQueue: version, and the <see cref="QueueHeader"/> in the grain state
/// serializer's format). A write sends the header and the rows that changed, so its cost does not grow
/// with the line's length (docs/benchmarks.md, "Queue storage").
/// </summary>
/// <remarks>
/// Optimistic concurrency as in Orleans' providers: the header's version is the ETag, and a write
/// against a stale one changes nothing and fails with <see cref="InconsistentStateException"/>. The
/// header and the rows change all or not at all, in the transaction <see cref="GroupCommitWriter"/> commits
/// with other writes, so a crash never leaves one without the other.
/// Schema: deploy/sqlite/004-queue-store.sql, deploy/postgresql/006-queue-store.sql.
/// </remarks>
public sealed class SqlQueueStore(
    GroupCommitWriter writer, StorageProvider provider, string connectionString, string serviceId, IGrainStorageSerializer serializer) : IQueueStore
{
    private const string SelectHeader =
        "SELECT Version, Payload FROM SupportQueue WHERE ServiceId = @ServiceId AND Queue = @Queue";

    private const string SelectWaiting =
        "SELECT SessionId, WaitingSinceUtcTicks, Arrival FROM SupportQueueEntry WHERE ServiceId = @ServiceId AND Queue = @Queue "
        + "ORDER BY WaitingSinceUtcTicks, Arrival";

    private const string InsertHeader =
        "INSERT INTO SupportQueue (ServiceId, Queue, Version, Payload, ModifiedOn) "
        + "VALUES (@ServiceId, @Queue, 1, @Payload, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";

    private const string UpdateHeader =
        "UPDATE SupportQueue SET Version = Version + 1, Payload = @Payload, ModifiedOn = CURRENT_TIMESTAMP "
        + "WHERE ServiceId = @ServiceId AND Queue = @Queue AND Version = @Version";

    private const string InsertEntry =
        "INSERT INTO SupportQueueEntry (ServiceId, Queue, WaitingSinceUtcTicks, Arrival, SessionId) "
        + "VALUES (@ServiceId, @Queue, @WaitingSinceUtcTicks, @Arrival, @SessionId)";

    private const string DeleteEntry =
        "DELETE FROM SupportQueueEntry WHERE ServiceId = @ServiceId AND Queue = @Queue "
        + "AND WaitingSinceUtcTicks = @WaitingSinceUtcTicks AND Arrival = @Arrival AND SessionId = @SessionId";

    public async Task<StoredQueue> ReadAsync(string queue)
    {
        await using var connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var transaction = await StorageConnections.BeginSnapshotAsync(connection);
        long version;
        QueueHeader header;
        await using (var command = Select(connection, transaction, SelectHeader, queue))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                return StoredQueue.Empty;
            }

            version = reader.GetInt64(0);
            header = serializer.Deserialize<QueueHeader>(new BinaryData((byte[])reader.GetValue(1)))
                ?? throw new InvalidDataException($"The stored header of queue {queue} is empty.");
        }

        var waiting = new List<WaitingEntry>();
        await using (var command = Select(connection, transaction, SelectWaiting, queue))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                waiting.Add(new WaitingEntry(reader.GetGuid(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetInt64(2)));
            }
        }

        return new StoredQueue(version, header, waiting);
    }

    public async Task<long> WriteAsync(string queue, long expectedVersion, QueueChanges changes)
    {
        // Built here, before the first await: the caller goes on changing its line meanwhile.
        var statements = Statements(queue, expectedVersion, changes);
        SupportMetrics.QueueWriteBytes.Record(statements.Sum(s => s.PayloadBytes), SupportMetrics.Language(queue));

        // The header names the version read; each removed entry must be there: otherwise storage is not
        // what this activation believes it is, and the write must not build on it.
        var checkedRows = 1 + changes.Removed.Count;
        if (await writer.WriteAsync(statements, affected => affected.Take(checkedRows).All(rows => rows == 1)) is null)
        {
            var expected = expectedVersion.ToString(CultureInfo.InvariantCulture);
            throw new InconsistentStateException(
                $"The stored version of queue {queue} is not {expected}, the one this activation read.", storedEtag: null, currentEtag: expected);
        }

        return expectedVersion + 1;
    }

    /// <summary>
    /// The header first, whose row count tells whether the version held; then the entries removed, by
    /// their stored key, then those added.
    /// </summary>
    private List<SqlStatement> Statements(string queue, long expectedVersion, QueueChanges changes)
    {
        var payload = serializer.Serialize(changes.Header).ToArray();
        var statements = new List<SqlStatement>(1 + changes.Added.Count + changes.Removed.Count)
        {
            expectedVersion == 0
                ? new SqlStatement(InsertHeader, ("@ServiceId", serviceId), ("@Queue", queue), ("@Payload", payload))
                : new SqlStatement(UpdateHeader, ("@ServiceId", serviceId), ("@Queue", queue), ("@Payload", payload), ("@Version", expectedVersion)),
        };
        statements.AddRange(changes.Removed.Select(entry => Entry(DeleteEntry, queue, entry)));
        statements.AddRange(changes.Added.Select(entry => Entry(InsertEntry, queue, entry)));
        return statements;
    }

    private SqlStatement Entry(string sql, string queue, WaitingEntry entry) =>
        new(sql, ("@ServiceId", serviceId), ("@Queue", queue), ("@WaitingSinceUtcTicks", entry.WaitingSince.UtcTicks),
            ("@Arrival", entry.Arrival), ("@SessionId", entry.SessionId));

    private DbCommand Select(DbConnection connection, DbTransaction transaction, string sql, string queue)
    {
        var command = SqlStatements.Command(connection, sql, transaction);
        SqlStatements.Add(command, "@ServiceId", serviceId);
        SqlStatements.Add(command, "@Queue", queue);
        return command;
    }
}
