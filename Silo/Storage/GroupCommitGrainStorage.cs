using System.Data.Common;
using Orleans.Storage;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// Grain storage whose writes are committed many at a time, with the queues' (<see cref="GroupCommitWriter"/>):
/// a chat message is written before it is acknowledged, and Orleans' ADO.NET provider commits every write
/// alone. Each caller still hears back only after its own row is durable. Optimistic concurrency as in
/// Orleans' providers: a row's version is its ETag, and a write against a stale version changes nothing and
/// fails with <see cref="InconsistentStateException"/>. Table: SupportGrainState (deploy/sqlite, deploy/postgresql).
/// </summary>
public sealed class GroupCommitGrainStorage(
    GroupCommitWriter writer, StorageProvider provider, string connectionString, string serviceId, IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>One grain's change: the new payload (null: delete), against the version it read.</summary>
    private sealed record PendingWrite(string Key, long? ExpectedVersion, byte[]? Payload);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = SqlStatements.Command(connection, "SELECT Version, Payload FROM SupportGrainState WHERE ServiceId = @ServiceId AND GrainKey = @GrainKey");
        SqlStatements.Add(command, "@ServiceId", serviceId);
        SqlStatements.Add(command, "@GrainKey", Key(stateName, grainId));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            (grainState.ETag, grainState.RecordExists) = (null, false);
            return;
        }

        var version = reader.GetInt64(0);
        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)));
        (grainState.ETag, grainState.RecordExists) = (version.ToString(), true);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized here, on the grain's turn: the state must not be read after the grain goes on.
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await EnqueueAsync(new PendingWrite(Key(stateName, grainId), ExpectedVersion(grainState), payload));
        (grainState.ETag, grainState.RecordExists) = (version.ToString(), true);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is not null)
        {
            await EnqueueAsync(new PendingWrite(Key(stateName, grainId), ExpectedVersion(grainState), Payload: null));
        }

        (grainState.ETag, grainState.RecordExists) = (null, false);
    }

    /// <summary>The row's new version; the statement changes nothing when the stored version is not the expected one.</summary>
    private async Task<long> EnqueueAsync(PendingWrite write)
    {
        var changed = await writer.WriteAsync([Statement(write)]);
        if (changed![0] == 1)
        {
            return (write.ExpectedVersion ?? 0) + 1;
        }

        throw new InconsistentStateException(
            $"The stored state of {write.Key} is not the version this grain read ({write.ExpectedVersion?.ToString() ?? "none"}).",
            storedEtag: null, currentEtag: write.ExpectedVersion?.ToString());
    }

    private SqlStatement Statement(PendingWrite write)
    {
        List<(string, object)> parameters = [("@ServiceId", serviceId), ("@GrainKey", write.Key)];
        if (write.ExpectedVersion is { } expected)
        {
            parameters.Add(("@Version", expected));
        }

        if (write.Payload is { } payload)
        {
            parameters.Add(("@Payload", payload));
        }

        return new SqlStatement(SqlFor(write), [.. parameters]);
    }

    private static string SqlFor(PendingWrite write) => (write.ExpectedVersion, write.Payload) switch
    {
        (null, not null) => "INSERT INTO SupportGrainState (ServiceId, GrainKey, Version, Payload, ModifiedOn) "
            + "VALUES (@ServiceId, @GrainKey, 1, @Payload, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
        (not null, not null) => "UPDATE SupportGrainState SET Payload = @Payload, Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP "
            + "WHERE ServiceId = @ServiceId AND GrainKey = @GrainKey AND Version = @Version",
        _ => "DELETE FROM SupportGrainState WHERE ServiceId = @ServiceId AND GrainKey = @GrainKey AND Version = @Version",
    };

    private static long? ExpectedVersion<T>(IGrainState<T> grainState) =>
        grainState.ETag is { } etag ? long.Parse(etag, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string Key(string stateName, GrainId grainId) => $"{grainId}/{stateName}";

    private Task<DbConnection> OpenAsync() => StorageConnections.OpenAsync(provider, connectionString);
}
