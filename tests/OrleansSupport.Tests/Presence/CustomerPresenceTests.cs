using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansSupport.Presence;

namespace OrleansSupport.Tests.Presence;

/// <summary>A silo asks the frontends which customers they hold a connection of.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerPresenceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_frontend_answers_for_its_own_connections_and_a_closed_one_counts_as_gone()
    {
        var presence = Assert.IsType<InProcessSiloHandle>(fixture.Cluster.Primary).SiloHost.Services.GetRequiredService<CustomerPresence>();
        var onFirst = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await using var onSecond = await CustomerClient.ConnectAsync(fixture.SecondFrontendUrl);
        var leaving = (await onFirst.StartAsync()).SessionId;
        var staying = (await onSecond.StartAsync()).SessionId;
        var neverConnected = Guid.NewGuid();

        // Other tests' frontends may still be listed for a while after they stopped.
        var answer = await Eventually.Async(() => presence.AskAsync([leaving, staying, neverConnected]), a => a.Conclusive, timeoutSeconds: 30);
        Assert.Equal(new[] { leaving, staying }.Order(), answer.Connected.Order());
        Assert.True(answer.IsGone(neverConnected));

        await onFirst.DisposeAsync();

        var after = await Eventually.Async(() => presence.AskAsync([leaving, staying]), a => a.IsGone(leaving), timeoutSeconds: 30);
        Assert.True(after.IsConnected(staying));
    }
}
