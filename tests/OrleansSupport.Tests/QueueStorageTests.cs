using Microsoft.Data.Sqlite;

namespace OrleansSupport.Tests;

/// <summary>A queue stores a row per waiting customer and a small header, never a copy of its whole line.</summary>
public sealed class QueueStorageTests
{
    [Fact]
    public async Task Joins_store_a_row_each_and_a_header_that_does_not_grow_with_the_line()
    {
        var database = TestClusters.NewDatabasePath();
        var clock = TestClock.CreateAtMoscowNoon();
        clock.Freeze(clock.GetUtcNow()); // one minute of history all along
        var cluster = await TestClusters.StartAsync(database, silos: 1, $"rows-{Guid.NewGuid():N}", clock);
        try
        {
            var queue = cluster.GrainFactory.GetGrain<IQueueGrain>("en");
            var start = clock.GetUtcNow();
            for (var i = 0; i < 10; i++)
            {
                await queue.Enqueue(Guid.NewGuid(), start.AddMilliseconds(i));
            }

            var headerAtTen = await HeaderBytesAsync(database);
            for (var i = 10; i < 300; i++)
            {
                await queue.Enqueue(Guid.NewGuid(), start.AddMilliseconds(i));
            }

            // 290 more customers in a copy of the line would be 290 x 20-odd bytes more.
            Assert.InRange(await HeaderBytesAsync(database), headerAtTen, headerAtTen + 8);
            Assert.Equal(300, await ScalarAsync(database, "SELECT COUNT(*) FROM SupportQueueEntry WHERE Queue = 'en'"));
            Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM OrleansStorage")); // only the queue wrote here
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            TestClusters.DeleteDatabase(database);
        }
    }

    private static Task<long> HeaderBytesAsync(string database) =>
        ScalarAsync(database, "SELECT length(Payload) FROM SupportQueue WHERE Queue = 'en'");

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
