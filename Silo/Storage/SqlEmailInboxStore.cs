using System.Data.Common;
using Orleans.Storage;
using OrleansSupport.Email;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// The e-mail inbox on SQLite or PostgreSQL: one row per request (SupportEmailRequest), the request in the
/// grain state serializer's format, pages by (submission time, reference). Writes are rare (a customer's
/// request, an operator's answer), so each runs on a connection of its own rather than through the
/// group-commit writer of the chats and queues. Schema: deploy/sqlite/005-email-inbox.sql,
/// deploy/postgresql/007-email-inbox.sql.
/// </summary>
public sealed class SqlEmailInboxStore(StorageProvider provider, string connectionString, string serviceId, IGrainStorageSerializer serializer)
    : IEmailInboxStore
{
    private const string Insert =
        "INSERT INTO SupportEmailRequest (ServiceId, Reference, SubmittedAtUtcTicks, Answered, Payload) "
        + "VALUES (@ServiceId, @Reference, @SubmittedAtUtcTicks, @Answered, @Payload) ON CONFLICT DO NOTHING";

    private const string SelectFirst =
        "SELECT Payload FROM SupportEmailRequest WHERE ServiceId = @ServiceId "
        + "ORDER BY SubmittedAtUtcTicks, Reference LIMIT @Count";

    // Row values compare in key order, so the page goes on exactly after the request named.
    private const string SelectAfter =
        "SELECT r.Payload FROM SupportEmailRequest r, SupportEmailRequest a "
        + "WHERE a.ServiceId = @ServiceId AND a.Reference = @After AND r.ServiceId = @ServiceId "
        + "AND (r.SubmittedAtUtcTicks, r.Reference) > (a.SubmittedAtUtcTicks, a.Reference) "
        + "ORDER BY r.SubmittedAtUtcTicks, r.Reference LIMIT @Count";

    private const string SelectOne =
        "SELECT Payload FROM SupportEmailRequest WHERE ServiceId = @ServiceId AND Reference = @Reference";

    private const string UpdateAnswer =
        "UPDATE SupportEmailRequest SET Answered = 1, Payload = @Payload "
        + "WHERE ServiceId = @ServiceId AND Reference = @Reference AND Answered = 0";

    private const string DeleteOld =
        "DELETE FROM SupportEmailRequest WHERE ServiceId = @ServiceId AND SubmittedAtUtcTicks < @SubmittedAtUtcTicks";

    public Task AddAsync(EmailRequest request) => ExecuteAsync(Insert, Row(request));

    public async Task AddManyAsync(IReadOnlyList<EmailRequest> requests)
    {
        await using var connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var request in requests)
        {
            await using var command = Command(connection, Insert, Row(request));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public async Task<EmailRequest[]> PageAsync(string? after, int count)
    {
        await using var connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var command = after is null
            ? Command(connection, SelectFirst, ("@Count", count))
            : Command(connection, SelectAfter, ("@After", after), ("@Count", count));
        return [.. await ReadAllAsync(command)];
    }

    public async Task<EmailRequest?> GetAsync(string reference)
    {
        await using var connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var command = Command(connection, SelectOne, ("@Reference", reference));
        return (await ReadAllAsync(command)).SingleOrDefault();
    }

    public async Task<bool> AnswerAsync(EmailRequest answered) =>
        await ExecuteAsync(UpdateAnswer, ("@Reference", answered.Reference), ("@Payload", Payload(answered))) == 1;

    public Task<int> TrimAsync(DateTimeOffset submittedBefore) =>
        ExecuteAsync(DeleteOld, ("@SubmittedAtUtcTicks", submittedBefore.UtcTicks));

    private byte[] Payload(EmailRequest request) => serializer.Serialize(request).ToArray();

    private (string Name, object Value)[] Row(EmailRequest request) =>
    [
        ("@Reference", request.Reference), ("@SubmittedAtUtcTicks", request.SubmittedAt.UtcTicks),
        ("@Answered", request.Answer is null ? 0 : 1), ("@Payload", Payload(request)),
    ];

    private async Task<List<EmailRequest>> ReadAllAsync(DbCommand command)
    {
        var requests = new List<EmailRequest>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            requests.Add(serializer.Deserialize<EmailRequest>(new BinaryData((byte[])reader.GetValue(0)))
                ?? throw new InvalidDataException("A stored e-mail request is empty."));
        }

        return requests;
    }

    private async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await StorageConnections.OpenAsync(provider, connectionString);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = SqlStatements.Command(connection, sql);
        SqlStatements.Add(command, "@ServiceId", serviceId);
        foreach (var (name, value) in parameters)
        {
            SqlStatements.Add(command, name, value);
        }

        return command;
    }
}
