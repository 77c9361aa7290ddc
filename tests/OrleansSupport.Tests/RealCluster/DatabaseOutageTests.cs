using System.Diagnostics;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>The database goes away for 30 s: clear refusals meanwhile, recovery without a restart.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class DatabaseOutageTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_30_second_postgresql_outage_gives_clear_errors_and_loses_nothing_acknowledged()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync());
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var frontend = await cluster.StartFrontendAsync();
        var client = await cluster.ConnectClientAsync();
        await using var customer = await CustomerClient.ConnectAsync(frontend);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        await using var op = await OperatorClient.SignInAsync(client, frontend, "outage-op", ["en"]);
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());
        var acknowledged = new List<ChatMessage> { await customer.SendAsync("before the outage"), await op.SendAsync(session.SessionId, "noted") };

        await postgres.StopAsync();
        var errors = new List<string>();
        try
        {
            var outage = Stopwatch.StartNew();
            var attempt = 0;
            while (outage.Elapsed < Outage)
            {
                var call = Stopwatch.StartNew();
                try
                {
                    acknowledged.Add(await customer.SendAsync($"during the outage {attempt++}"));
                }
                catch (HubException ex)
                {
                    errors.Add(ex.Message);
                }

                Assert.True(call.Elapsed < TimeSpan.FromSeconds(20), $"a refusal took {call.Elapsed.TotalSeconds:F1} s");
                await Task.Delay(1000);
            }
        }
        finally
        {
            await postgres.StartAsync();
        }

        // Meanwhile: refusals that say what happened, not hangs or crashes.
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Matches("(storage-unavailable|unavailable): ", e));

        // Afterwards, the same processes serve again, and a new customer can queue.
        var recovered = await Eventually.Async(
            async () =>
            {
                try
                {
                    return await customer.SendAsync("after the outage");
                }
                catch (HubException)
                {
                    return null;
                }
            },
            m => m is not null,
            timeoutSeconds: 60);
        acknowledged.Add(recovered!);
        acknowledged.Add(await op.SendAsync(session.SessionId, "welcome back"));
        await using var newcomer = await CustomerClient.ConnectAsync(frontend);
        await newcomer.StartAsync();
        Assert.Equal(1, (await newcomer.RequestOperatorAsync()).Position);
        Assert.All(cluster.Silos, s => Assert.True(s.IsRunning));

        var transcript = (await customer.ResumeAsync(customer.Token, 0)).Messages;
        Assert.All(acknowledged, m => Assert.Contains(m, transcript));
        Assert.Equal(Enumerable.Range(1, transcript.Length).Select(i => (long)i), transcript.Select(m => m.Sequence));
    }
}
