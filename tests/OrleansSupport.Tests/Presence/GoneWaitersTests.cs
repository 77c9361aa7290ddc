using System.Diagnostics;

namespace OrleansSupport.Tests.Presence;

/// <summary>
/// Waiting customers whose connections are gone: passed over at once, keeping their place, and out of the line
/// once gone past the grace; whoever is behind them moves up. A reload within the grace keeps the place.
/// </summary>
public sealed class GoneWaitersTests
{
    private const int GraceSeconds = 6;

    /// <summary>The queue looks every 2 s, and the frontends' answer comes within 2 s.</summary>
    private const int FewSeconds = 6;

    [Fact]
    public async Task Customers_who_closed_the_tab_are_passed_over_then_leave_and_those_behind_move_up()
    {
        await using var own = await OwnCluster.StartAsync(presence: TestSettings.Presence(queueGraceSeconds: GraceSeconds, passOverAfterSeconds: 0), withFrontend: true);
        var queue = own.Grains.GetGrain<IQueueGrain>("en");
        var ghosts = new List<CustomerClient>();
        for (var i = 0; i < 3; i++)
        {
            ghosts.Add(await QueuedAsync(own.FrontendUrl));
        }

        await using var first = await QueuedAsync(own.FrontendUrl);
        await using var second = await QueuedAsync(own.FrontendUrl);
        var ghostIds = ghosts.Select(SessionOf).ToList();
        var order = (await queue.GetSnapshot()).Order;
        Assert.Equal([.. ghostIds, SessionOf(first), SessionOf(second)], order);

        foreach (var ghost in ghosts)
        {
            await ghost.DisposeAsync(); // the tab is closed
        }

        var closed = Stopwatch.StartNew();

        // Found gone: they keep their places, and the operator who comes is given the first customer who is here.
        await Eventually.Async(queue.GetStats, s => s.Away == 3, timeoutSeconds: FewSeconds);
        await using var op = await OperatorClient.SignInAsync(own.Grains, own.FrontendUrl, "takes-who-is-here", ["en"], capacity: 1);
        Assert.Equal(SessionOf(first), await op.AcceptNextAsync());
        Assert.Equal(4, (await queue.GetPlace(SessionOf(second)))!.Position);

        // Past the grace they leave the line, as abandoned, and the one behind them moves up to 1.
        await Eventually.Async(queue.GetSnapshot, s => !s.Order.Intersect(ghostIds).Any(), timeoutSeconds: GraceSeconds + FewSeconds);
        Assert.InRange(closed.Elapsed.TotalSeconds, GraceSeconds, GraceSeconds + FewSeconds);
        Assert.Equal(1, (await HubClient.NextAsync(second.Positions, p => p.Position == 1, timeoutSeconds: FewSeconds)).Position);
        Assert.Equal(3, (await queue.GetStats()).AbandonedPerMinute.Sum());

        // One who comes back is told, and may join again: at the back.
        await using var back = await CustomerClient.ConnectAsync(own.FrontendUrl);
        var view = await back.ResumeAsync(ghosts[0].Token, 0);
        Assert.Equal(SessionStatus.Browsing, view.Status);
        Assert.Equal("left-queue-away", view.Messages[^1].Code);
        Assert.Equal(2, (await back.RequestOperatorAsync()).Position);
    }

    [Fact]
    public async Task A_reload_within_the_grace_keeps_the_place()
    {
        await using var own = await OwnCluster.StartAsync(presence: TestSettings.Presence(queueGraceSeconds: GraceSeconds, passOverAfterSeconds: 0), withFrontend: true);
        var queue = own.Grains.GetGrain<IQueueGrain>("en");
        var reloading = await QueuedAsync(own.FrontendUrl);
        await using var behind = await QueuedAsync(own.FrontendUrl);

        await reloading.DisposeAsync();
        await Eventually.Async(queue.GetStats, s => s.Away == 1, timeoutSeconds: FewSeconds);
        await using var reloaded = await CustomerClient.ConnectAsync(own.FrontendUrl);
        var view = await reloaded.ResumeAsync(reloading.Token, 0);

        Assert.Equal((SessionStatus.Queued, 1), (view.Status, view.Place!.Position));
        Assert.Equal(0, (await queue.GetStats()).Away);
        await Task.Delay(TimeSpan.FromSeconds(GraceSeconds + FewSeconds)); // the grace passes: still here
        var order = (await queue.GetSnapshot()).Order;
        Assert.Equal([SessionOf(reloading), SessionOf(behind)], order);
    }

    private static async Task<CustomerClient> QueuedAsync(Uri frontend)
    {
        var customer = await CustomerClient.ConnectAsync(frontend);
        await customer.StartAsync();
        await customer.RequestOperatorAsync();
        return customer;
    }

    private static Guid SessionOf(CustomerClient customer) => OrleansSupport.WebFrontend.Hubs.SessionToken.Parse(customer.Token).SessionId;
}
