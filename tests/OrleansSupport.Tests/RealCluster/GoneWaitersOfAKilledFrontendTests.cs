using System.Diagnostics;
using OrleansSupport.Presence;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// Waiting customers whose frontend was killed (kill -9) and who do not come back: passed over, then out of
/// the line past the grace, while those on the other frontend are served and move up.
/// </summary>
[Collection(RealClusterCollection.Name)]
public sealed class GoneWaitersOfAKilledFrontendTests(PostgresFixture postgres)
{
    private const int GraceSeconds = 5;

    [Fact]
    public async Task Customers_of_a_killed_frontend_are_passed_over_and_leave_and_those_behind_move_up()
    {
        await using var cluster = new LocalCluster(
            await postgres.CreateDatabaseAsync(), presence: TestSettings.Presence(queueGraceSeconds: GraceSeconds, passOverAfterSeconds: 0));
        await cluster.StartSiloAsync();
        var doomed = await cluster.StartFrontendAsync();
        var survivor = await cluster.StartFrontendAsync();
        var client = await cluster.ConnectClientAsync();
        var queue = client.GetGrain<IQueueGrain>("en");

        // Five wait through the frontend that will die; two more behind them through the other one.
        var ghosts = new List<CustomerClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                ghosts.Add(await QueuedAsync(doomed));
            }

            await using var first = await QueuedAsync(survivor);
            await using var second = await QueuedAsync(survivor);
            Assert.Equal(7, (await queue.GetSnapshot()).Order.Length);

            await cluster.Frontends[0].Process.KillAsync();
            var killed = Stopwatch.StartNew();

            // Found gone once the dead frontend is taken for dead: an operator is given the first who is here.
            await Eventually.Async(queue.GetStats, s => s.Away == 5, timeoutSeconds: 30);
            await using var op = await OperatorClient.SignInAsync(client, survivor, "serves-who-is-here", ["en"], capacity: 1);
            Assert.Equal(SessionOf(first), await op.AcceptNextAsync());

            // Past the grace they are out of the line, and the one behind them is number 1.
            await Eventually.Async(queue.GetSnapshot, s => s.Order.SequenceEqual([SessionOf(second)]), timeoutSeconds: 40);
            var leftAfter = killed.Elapsed;
            Assert.True(leftAfter < CustomerPresence.TakenForDeadAfter + TimeSpan.FromSeconds(GraceSeconds + 10), $"left {leftAfter.TotalSeconds:F1} s after the kill");
            Assert.Equal(1, (await HubClient.NextAsync(second.Positions, p => p.Position == 1, timeoutSeconds: 10)).Position);
            foreach (var ghost in ghosts)
            {
                var token = SessionToken.Parse(ghost.Token);
                var view = await client.GetGrain<ICustomerSessionGrain>(token.SessionId).Resume(token.Secret, 0);
                Assert.Equal((SessionStatus.Browsing, "left-queue-away"), (view.Status, view.Messages[^1].Code));
            }
        }
        catch (Exception ex)
        {
            throw new Exception($"{ex.Message}{Environment.NewLine}{cluster.Logs}", ex);
        }
        finally
        {
            foreach (var ghost in ghosts)
            {
                await ghost.DisposeAsync();
            }
        }
    }

    private static async Task<CustomerClient> QueuedAsync(Uri frontend)
    {
        var customer = await CustomerClient.ConnectAsync(frontend);
        await customer.StartAsync();
        await customer.RequestOperatorAsync();
        return customer;
    }

    private static Guid SessionOf(CustomerClient customer) => SessionToken.Parse(customer.Token).SessionId;
}
