using System.Diagnostics;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>Real processes on a real PostgreSQL: a silo killed with SIGKILL loses no waiting customer.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class SiloCrashTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Killing_one_of_two_silos_keeps_2000_customers_queued_exactly_once_in_order()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync());
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var client = await cluster.ConnectClientAsync();

        // 2,000 customers across English and Russian, 50 at a time as they would arrive.
        var customers = new List<TestCustomer>();
        for (var batch = 0; batch < 40; batch++)
        {
            customers.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(i => TestCustomer.QueuedAsync(client, (batch + i) % 2 == 0 ? "en" : "ru"))));
        }

        var before = new Dictionary<string, Guid[]>
        {
            ["en"] = (await client.GetGrain<IQueueGrain>("en").GetSnapshot()).Order,
            ["ru"] = (await client.GetGrain<IQueueGrain>("ru").GetSnapshot()).Order,
        };
        Assert.Equal(2000, before["en"].Length + before["ru"].Length);

        var clock = Stopwatch.StartNew();
        await cluster.Silos[0].KillAsync();

        // Within 30 s: each queue holds the same customers, once each, in the same order, numbered 1..N.
        var afterCrash = await Eventually.Async(
            async () =>
            {
                try
                {
                    return new Dictionary<string, Guid[]>
                    {
                        ["en"] = (await client.GetGrain<IQueueGrain>("en").GetSnapshot()).Order,
                        ["ru"] = (await client.GetGrain<IQueueGrain>("ru").GetSnapshot()).Order,
                    };
                }
                catch (Exception)
                {
                    return null; // the queue's silo is still being declared dead
                }
            },
            queues => queues is not null,
            timeoutSeconds: 30);
        Assert.Equal(before["en"], afterCrash!["en"]);
        Assert.Equal(before["ru"], afterCrash["ru"]);

        var places = await Task.WhenAll(customers.Select(async c => (c.SessionId, View: await RetryAsync(() => c.Resume()))));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"recovered in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var language in new[] { "en", "ru" })
        {
            var order = before[language];
            var positions = places.Where(p => p.View.Language == language).ToDictionary(p => p.SessionId, p => p.View.Place!.Position);
            Assert.Equal(order.Length, positions.Count);
            Assert.Equal(Enumerable.Range(1, order.Length), order.Select(id => positions[id]));
        }
    }

    /// <summary>A call that lands on the dead silo before it is declared dead fails fast; try again.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }
}
