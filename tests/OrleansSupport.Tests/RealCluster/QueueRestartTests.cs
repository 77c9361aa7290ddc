namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// `kill -9` of the silo, then a fresh start: a queue comes back from its rows in exactly the order it
/// had, every customer with their exact waiting time, on PostgreSQL and on the SQLite default.
/// </summary>
[Collection(RealClusterCollection.Name)]
public sealed class QueueRestartTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(3)).AddTicks(4_321);

    [Fact]
    public async Task On_postgresql_order_and_waiting_times_come_back_exactly_after_a_kill()
    {
        await ComesBackExactlyAsync(new LocalCluster(await postgres.CreateDatabaseAsync()));
    }

    [Fact]
    public async Task On_the_sqlite_default_order_and_waiting_times_come_back_exactly_after_a_kill()
    {
        var database = TestClusters.NewDatabasePath();
        try
        {
            await ComesBackExactlyAsync(new LocalCluster($"Data Source={database}", postgres: false));
        }
        finally
        {
            TestClusters.DeleteDatabase(database);
        }
    }

    private static async Task ComesBackExactlyAsync(LocalCluster cluster)
    {
        try
        {
            await cluster.StartSiloAsync();
            var queue = (await cluster.ConnectClientAsync()).GetGrain<IQueueGrain>("en");
            var (dropped, a, b, c, d, e, g) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            var same = Start.AddMilliseconds(5);
            await queue.Enqueue(a, same);
            await queue.Enqueue(b, same);
            await queue.Enqueue(c, same); // a, b, c: equal times, arrival order
            await queue.Enqueue(d, Start.AddMilliseconds(1)); // waited longer: ahead of them
            await queue.Enqueue(e, Start.AddMilliseconds(9));
            await queue.Leave(b);
            var taken = await queue.DequeueNext();
            await queue.Return(taken!); // d, back by their waiting time
            await queue.ReturnToHead(dropped); // just before d
            await queue.Enqueue(g, same); // behind a and c
            await queue.Enqueue(b, same); // back, behind g
            QueuedCustomer[] expected =
            [
                new(dropped, Start.AddMilliseconds(1).AddTicks(-1)), new(d, Start.AddMilliseconds(1)), new(a, same), new(c, same),
                new(g, same), new(b, same), new(e, Start.AddMilliseconds(9)),
            ];
            var before = await queue.GetSnapshot();
            Assert.Equal(expected.Select(x => x.SessionId), before.Order);

            await cluster.KillAllAsync();
            await cluster.StartSiloAsync();
            queue = (await cluster.ConnectClientAsync()).GetGrain<IQueueGrain>("en");
            var after = await queue.GetSnapshot();
            var late = Guid.NewGuid();
            var place = await queue.Enqueue(late, same); // a tie after the restart still goes behind the others

            Assert.Equal(before.Order, after.Order);
            Assert.Equal(before.Sequence, after.Sequence);
            Assert.Equal((7, 8), (place.Position, place.Waiting));
            Assert.Equal(before.Sequence + 1, place.Sequence);
            var served = new List<QueuedCustomer>();
            while (await queue.DequeueNext() is { } next)
            {
                served.Add(next);
            }

            QueuedCustomer[] withLate = [.. expected[..6], new(late, same), expected[6]];
            Assert.Equal(withLate.Select(x => (x.SessionId, x.WaitingSince.UtcTicks)), served.Select(x => (x.SessionId, x.WaitingSince.UtcTicks)));
        }
        catch (Exception ex)
        {
            throw new Exception($"{ex.Message}{Environment.NewLine}{cluster.Logs}", ex);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
