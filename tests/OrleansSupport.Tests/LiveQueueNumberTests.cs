using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LiveQueueNumberTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Waiting_customers_see_their_number_move_when_someone_ahead_leaves()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var first = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await using var second = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await using var third = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        foreach (var c in new[] { first, second, third })
        {
            await c.StartAsync();
        }

        Assert.Equal(1, (await first.RequestOperatorAsync()).Position);
        Assert.Equal(2, (await second.RequestOperatorAsync()).Position);
        Assert.Equal(3, (await third.RequestOperatorAsync()).Position);

        await first.Hub.InvokeAsync("End");

        Assert.Equal(1, (await HubClient.NextAsync(second.Positions)).Position);
        var thirdNow = await HubClient.NextAsync(third.Positions);
        Assert.Equal((2, 2), (thirdNow.Position, thirdNow.Waiting));
    }

    [Fact]
    public async Task Waiting_customers_move_up_when_an_operator_takes_the_head_and_the_served_one_is_told()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        await using var head = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await using var next = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await head.StartAsync("ru");
        await next.StartAsync("ru");
        await head.RequestOperatorAsync();
        Assert.Equal(2, (await next.RequestOperatorAsync()).Position);
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"live-{Guid.NewGuid():N}", ["ru"]);

        await op.AcceptNextAsync();

        Assert.Equal(SessionStatus.Chatting, await HubClient.NextAsync(head.Statuses, s => s != SessionStatus.Queued));
        Assert.Equal(1, (await HubClient.NextAsync(next.Positions)).Position);
    }

    [Fact]
    public async Task A_queue_event_costs_one_push_per_frontend_not_one_per_waiting_customer()
    {
        // Forty customers wait; one leaves. The queue grain publishes a single delta; every number that
        // moved is computed on the frontend from its replica of the order.
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var clients = new List<CustomerClient>();
        try
        {
            await QueueUpAsync(clients, 40);
            var before = (await fixture.Grains.GetGrain<IQueueGrain>("en").GetSnapshot()).Sequence;
            await clients[0].Hub.InvokeAsync("End");

            for (var i = 1; i < clients.Count; i++)
            {
                Assert.Equal(i, (await HubClient.NextAsync(clients[i].Positions, p => p.Position == i)).Position);
            }

            Assert.Equal(before + 1, (await fixture.Grains.GetGrain<IQueueGrain>("en").GetSnapshot()).Sequence);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [Fact]
    public async Task A_fast_moving_line_is_pushed_at_most_once_per_interval_and_ends_on_the_true_number()
    {
        // Six customers ahead leave 120 ms apart, faster than one push per interval allows: the one at the
        // back is shown fewer numbers than there were changes, paced by the interval, and ends on 1.
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var ahead = new List<CustomerClient>();
        try
        {
            await QueueUpAsync(ahead, 6);
            await using var last = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
            await last.StartAsync();
            Assert.Equal(7, (await last.RequestOperatorAsync()).Position);

            foreach (var c in ahead)
            {
                await c.Hub.InvokeAsync("End");
                await Task.Delay(120);
            }

            var shown = new List<QueuePlace>();
            do
            {
                shown.Add(await HubClient.NextAsync(last.Positions));
            }
            while (shown[^1].Position != 1);

            Assert.InRange(shown.Count, 1, 5);
            Assert.All(shown, p => Assert.NotNull(p.PushedAt));
            for (var i = 1; i < shown.Count; i++)
            {
                Assert.True(shown[i].PushedAt - shown[i - 1].PushedAt >= NumberBudget.MinInterval,
                    $"pushed {(shown[i].PushedAt - shown[i - 1].PushedAt)!.Value.TotalMilliseconds} ms after the one before");
            }
        }
        finally
        {
            await DisposeAllAsync(ahead);
        }
    }

    /// <summary>
    /// Adds customers to <paramref name="clients"/> who each start an English chat and ask for an operator,
    /// in turn; added one by one, so the caller disposes whatever got connected even if one fails.
    /// </summary>
    private async Task QueueUpAsync(List<CustomerClient> clients, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var c = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
            clients.Add(c);
            await c.StartAsync();
            await c.RequestOperatorAsync();
        }
    }

    private static async Task DisposeAllAsync(List<CustomerClient> clients)
    {
        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }
    }
}
