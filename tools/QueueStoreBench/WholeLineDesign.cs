using System.Data.Common;
using Orleans.Storage;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;

namespace OrleansSupport.QueueStoreBench;

/// <summary>
/// The old design, for comparison: every write serializes the whole line with the same serializer and
/// stores it as one versioned row (table SupportGrainState), as the queue's grain state once was.
/// </summary>
public sealed class WholeLineDesign(StorageProvider provider, string connectionString, IGrainStorageSerializer serializer, QueueHeader header) : IQueueDesign
{
    private const string Key = "queue/en";

    private readonly List<QueuedCustomer> _line = [];
    private long _version;

    public string Name => "whole line (old)";

    public int Count => _line.Count;

    public void Join(Guid sessionId, DateTimeOffset waitingSince) => _line.Add(new QueuedCustomer(sessionId, waitingSince));

    public void RemoveAt(int index) => _line.RemoveAt(index);

    public async Task<long> WriteAsync()
    {
        var state = new WholeLineState { Waiting = [.. _line], Header = header };
        var payload = serializer.Serialize(state).ToArray();
        var statement = _version == 0
            ? new SqlStatement(
                "INSERT INTO SupportGrainState (ServiceId, GrainKey, Version, Payload, ModifiedOn) VALUES (@ServiceId, @GrainKey, 1, @Payload, CURRENT_TIMESTAMP)",
                ("@ServiceId", Bench.ServiceId), ("@GrainKey", Key), ("@Payload", payload))
            : new SqlStatement(
                "UPDATE SupportGrainState SET Payload = @Payload, Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP "
                + "WHERE ServiceId = @ServiceId AND GrainKey = @GrainKey AND Version = @Version",
                ("@ServiceId", Bench.ServiceId), ("@GrainKey", Key), ("@Payload", payload), ("@Version", _version));
        await using DbConnection connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await SqlStatements.ExecuteAsync(connection, transaction, [statement]);
        await transaction.CommitAsync();
        _version++;
        return statement.PayloadBytes;
    }
}
