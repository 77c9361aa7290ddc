using Microsoft.Data.Sqlite;

namespace OrleansSupport.Tests;

/// <summary>
/// A chat's messages are stored in pages beside the session's state, so a message rewrites its own page and
/// not the whole transcript: a long chat's writes do not grow with its length.
/// </summary>
public sealed class TranscriptPageTests
{
    private const int MessagesSent = 60;

    [Fact]
    public async Task A_long_chat_is_stored_in_pages_that_read_back_whole_after_a_restart()
    {
        var database = TestClusters.NewDatabasePath();
        var serviceId = $"transcript-{Guid.NewGuid():N}";
        var operatorId = $"op-{Guid.NewGuid():N}";
        TestCustomer customer;
        var acknowledged = new List<ChatMessage>();
        long sessionRowAfterFirstMessage = -1;

        var before = await TestClusters.StartAsync(database, silos: 1, serviceId);
        try
        {
            customer = await TestCustomer.QueuedAsync(before.GrainFactory);
            var op = before.GrainFactory.GetGrain<IOperatorGrain>(operatorId);
            await op.Configure(["en"], 1);
            Assert.Equal(customer.SessionId, await op.AcceptNext());

            for (var i = 0; i < MessagesSent; i++)
            {
                // Mostly the operator's, whose limit lets them through faster.
                acknowledged.Add(i % 6 == 0
                    ? await WhenAllowedAsync(() => customer.Say($"customer line {i}"))
                    : await WhenAllowedAsync(() => customer.Grain.SendOperatorMessage(operatorId, Guid.NewGuid(), $"operator line {i}")));
                if (i == 0)
                {
                    sessionRowAfterFirstMessage = (await StoredRowsAsync(database)).Single(r => r.Key.EndsWith("/session", StringComparison.Ordinal)).Bytes;
                }
            }

            // "Operator joined" is message 1; the 60 sent are 2-61: pages of 25, 25 and 11.
            var rows = await StoredRowsAsync(database);
            var pages = rows.Where(r => r.Key.Contains("/transcript-", StringComparison.Ordinal)).Select(r => r.Key[(r.Key.LastIndexOf('/') + 1)..]).Order();
            Assert.Equal(["transcript-0", "transcript-1", "transcript-2"], pages);
            var sessionRow = rows.Single(r => r.Key.EndsWith("/session", StringComparison.Ordinal)).Bytes;
            Assert.Equal(sessionRowAfterFirstMessage, sessionRow);
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        var after = await TestClusters.StartAsync(database, silos: 1, serviceId);
        try
        {
            var transcript = await after.GrainFactory.GetGrain<ICustomerSessionGrain>(customer.SessionId).Resume(customer.Secret, 0);
            Assert.Equal(Enumerable.Range(1, MessagesSent + 1).Select(n => (long)n), transcript.Messages.Select(m => m.Sequence));
            Assert.Equal(acknowledged, transcript.Messages.Skip(1));
            Assert.Equal(MessagesSent + 1, transcript.LastSequence);
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
            TestClusters.DeleteDatabase(database);
        }
    }

    /// <summary>Sends, waiting out the per-side message limit when the burst is used up.</summary>
    private static async Task<ChatMessage> WhenAllowedAsync(Func<Task<ChatMessage>> send)
    {
        while (true)
        {
            try
            {
                return await send();
            }
            catch (SupportException ex) when (ex.Code == "rate-limited")
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<List<(string Key, long Bytes)>> StoredRowsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainKey, length(Payload) FROM SupportGrainState";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
