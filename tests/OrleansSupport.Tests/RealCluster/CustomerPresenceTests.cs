using Microsoft.Extensions.Logging.Abstractions;
using OrleansSupport.Presence;
using OrleansSupport.Push;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>A frontend killed with its customers' connections: they count as gone within seconds, others do not.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class CustomerPresenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_customers_of_a_killed_frontend_count_as_gone_and_those_of_a_live_one_as_connected()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync());
        await cluster.StartSiloAsync();
        var doomed = await cluster.StartFrontendAsync();
        var survivor = await cluster.StartFrontendAsync();
        var client = await cluster.ConnectClientAsync();
        await using var onDoomed = await CustomerClient.ConnectAsync(doomed);
        await using var onSurvivor = await CustomerClient.ConnectAsync(survivor);
        var gone = (await onDoomed.StartAsync()).SessionId;
        var here = (await onSurvivor.StartAsync()).SessionId;

        // The silo's presence check, asked from this process as a silo asks: the directory, then each frontend.
        var presence = new CustomerPresence(
            new LiveFrontends(client, TimeProvider.System, NullLogger<LiveFrontends>.Instance), TimeProvider.System, NullLogger<CustomerPresence>.Instance);
        var before = await Eventually.Async(() => presence.AskAsync([gone, here]), a => a.Connected.Count == 2, timeoutSeconds: 30);
        Assert.True(before.Conclusive);

        await cluster.Frontends[0].Process.KillAsync();

        // Not refused, only unanswered: inconclusive at first, then taken for dead long before the
        // directory forgets the frontend (20 s).
        var after = await Eventually.Async(() => presence.AskAsync([gone, here]), a => a.IsGone(gone), timeoutSeconds: 30);
        Assert.True(after.IsConnected(here));
    }
}
