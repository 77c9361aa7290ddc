namespace OrleansSupport.Tests.RealCluster;

/// <summary>Operators racing for customers while one storage write in ten fails.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class StorageFaultTests(PostgresFixture postgres)
{
    private const int Customers = 1000;
    private const int Operators = 50;
    private const int Capacity = 20;

    [Fact]
    public async Task Fifty_operators_take_a_thousand_customers_exactly_once_within_capacity_despite_failing_writes()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync(), writeFailureRate: 0.1);
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var client = await cluster.ConnectClientAsync();
        var failures = 0;

        // Customers keep asking (as the page would) until they are queued.
        var customers = new List<TestCustomer>();
        for (var batch = 0; batch < Customers / 50; batch++)
        {
            customers.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(i => RetryAsync(() => Join(client, (batch + i) % 2 == 0 ? "en" : "ru")))));
        }

        var operators = Enumerable.Range(0, Operators).Select(i => client.GetGrain<IOperatorGrain>($"op{i}")).ToArray();
        foreach (var op in operators)
        {
            await RetryAsync(() => op.Configure(["en", "ru"], Capacity));
        }

        // All fifty at once, each until it is full or nobody waits.
        var taken = await Task.WhenAll(operators.Select(async op =>
        {
            var mine = new List<Guid>();
            for (var idle = 0; idle < 20;)
            {
                try
                {
                    if (await op.AcceptNext() is { } sessionId)
                    {
                        mine.Add(sessionId);
                        idle = 0;
                    }
                    else
                    {
                        idle++;
                        await Task.Delay(100);
                    }
                }
                catch (SupportException ex) when (ex.Code == "at-capacity")
                {
                    break;
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures); // an injected write failure: ask again
                }
            }

            return mine;
        }));

        Assert.True(failures > 0, "faults were injected and met");
        var views = await Task.WhenAll(operators.Select(op => RetryAsync(op.GetView)));
        Assert.All(views, v => Assert.InRange(v.ActiveChats.Length, 0, Capacity));
        var assigned = views.SelectMany(v => v.ActiveChats.Select(s => (Session: s, v.OperatorId))).ToList();
        var missing = new List<string>();
        foreach (var customer in customers.Where(c => !assigned.Exists(a => a.Session == c.SessionId)))
        {
            var view = await RetryAsync(() => customer.Resume());
            missing.Add($"{customer.SessionId}: {view.Status} op={view.OperatorId} place={view.Place?.Position}");
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        Assert.Equal(Customers, assigned.Count);
        Assert.Equal(Customers, assigned.Select(a => a.Session).Distinct().Count());
        foreach (var customer in customers)
        {
            var view = await RetryAsync(() => customer.Resume());
            Assert.Equal(SessionStatus.Chatting, view.Status);
            Assert.Equal(assigned.Single(a => a.Session == customer.SessionId).OperatorId, view.OperatorId);
        }

        // A call that failed may still have assigned; the grains, not the callers' lists, are the truth.
        Assert.True(taken.Sum(t => t.Count) <= Customers);
    }

    private static async Task<TestCustomer> Join(IGrainFactory grains, string language)
    {
        var customer = await TestCustomer.StartAsync(grains, language);
        await RetryAsync(customer.RequestOperator);
        return customer;
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 30)
            {
                await Task.Delay(20);
            }
        }
    }
}
