using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.Push;
using OrleansSupport.WebFrontend.Push;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>Each push goes to the frontends holding its readers, and follows a customer who moves.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TargetedPushTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_chat_s_pushes_reach_the_frontends_of_its_customer_and_operator_and_no_other()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var spy = await SpyFrontend.RegisterAsync(fixture.Cluster.Client);
        var unplaced = new List<TestCustomer>();
        try
        {
            // A session that no frontend started (straight through its grain) has no known readers, so its
            // pushes go to every frontend: once the spy gets one, the silos list it.
            await Eventually.Async(async () =>
            {
                unplaced.Add(await TestCustomer.QueuedAsync(fixture.Grains));
                return spy.SessionEvents().Select(e => e.SessionId).Intersect(unplaced.Select(c => c.SessionId)).Any();
            }, seen => seen);

            await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
            var session = (await customer.StartAsync()).SessionId;
            var operatorId = $"aim-{Guid.NewGuid():N}";
            await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.SecondFrontendUrl, operatorId, ["en"]);
            foreach (var c in unplaced)
            {
                await c.Grain.EndByCustomer(c.Secret);
            }

            await customer.RequestOperatorAsync();
            Assert.Equal(session, await op.AcceptNextAsync());
            await HubClient.NextAsync(customer.Statuses, s => s == SessionStatus.Chatting);
            await customer.SendAsync("from the first frontend");
            Assert.Equal("from the first frontend", (await HubClient.NextAsync(op.Messages, m => m.Message.Author == MessageAuthor.Customer)).Message.Text);
            await op.SendAsync(session, "from the second frontend");
            Assert.Equal("from the second frontend", (await HubClient.NextAsync(customer.Messages, m => m.Author == MessageAuthor.Operator)).Text);
            await op.Hub.InvokeAsync("EndChat", session);
            await HubClient.NextAsync(op.Ended, id => id == session);

            // Something that does go to every frontend, published after the chat: once it is here, a chat's
            // push sent here by mistake would be here too (each silo hands a frontend its pushes in order).
            var marker = await TestCustomer.QueuedAsync(fixture.Grains);
            await Eventually.Async(() => Task.FromResult(spy.SessionEvents().Any(e => e.SessionId == marker.SessionId)), seen => seen);
            await marker.Grain.EndByCustomer(marker.Secret);

            Assert.DoesNotContain(spy.SessionEvents(), e => e.SessionId == session);
            Assert.DoesNotContain(spy.OperatorEvents(), e => e.OperatorId == operatorId);
        }
        finally
        {
            foreach (var c in unplaced)
            {
                await c.Grain.EndByCustomer(c.Secret);
            }
        }
    }

    [Fact]
    public async Task A_batch_that_follows_lost_ones_tells_the_pages_of_its_frontend_to_catch_up()
    {
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var told = Channel.CreateUnbounded<int>();
        customer.Hub.On<int>(nameof(ICustomerClient.CatchUp), ms => told.Writer.TryWrite(ms));
        await customer.StartAsync();
        var observer = fixture.Frontend.Services.GetRequiredService<FrontendObserver>();

        // A frontend that has just started tells its pages to catch up once it is listed everywhere: that
        // one is over by now, and a batch without a loss tells nobody anything.
        await Task.Delay(FrontendListing.SeenEverywhereWithin + TimeSpan.FromSeconds(1));
        await observer.Deliver(new PushBatch([], [], []));
        await Task.Delay(TimeSpan.FromSeconds(1));
        while (told.Reader.TryRead(out _))
        {
        }

        await observer.Deliver(new PushBatch([], [], []) { FollowsLoss = true });

        // Within a spread of at least a second, so that thousands of pages do not read at the same instant.
        Assert.InRange(await HubClient.NextAsync(told, timeoutSeconds: 5), 1_000, 60_000);
    }

    [Fact]
    public async Task A_customer_who_moves_to_another_frontend_mid_queue_and_mid_chat_gets_every_number_and_line_once()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var ahead = await TestCustomer.QueuedAsync(fixture.Grains);
        var first = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = (await first.StartAsync()).SessionId;
        Assert.Equal(2, (await first.RequestOperatorAsync()).Position);
        var token = first.Token;
        await first.DisposeAsync();

        // Mid-queue: the page comes back through the other frontend, and its number still moves.
        await using var second = await CustomerClient.ConnectAsync(fixture.SecondFrontendUrl);
        Assert.Equal(2, (await second.ResumeAsync(token, 0)).Place!.Position);
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"move-{Guid.NewGuid():N}", ["en"]);
        Assert.Equal(ahead.SessionId, await op.AcceptNextAsync());
        Assert.Equal(1, (await HubClient.NextAsync(second.Positions, p => p.Position == 1)).Position);
        await op.Hub.InvokeAsync("EndChat", ahead.SessionId);
        Assert.Equal(session, await op.AcceptNextAsync());
        await HubClient.NextAsync(second.Statuses, s => s == SessionStatus.Chatting);
        await op.SendAsync(session, "line 1");

        // Mid-chat: back through the first frontend; lines after the last one seen come by resume, later
        // ones by push, none twice.
        var seen = (await HubClient.NextAsync(second.Messages, m => m.Text == "line 1")).Sequence;
        await second.DisposeAsync();
        await op.SendAsync(session, "line 2");
        await using var third = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var resumed = await third.ResumeAsync(token, seen);
        await op.SendAsync(session, "line 3");
        await op.Hub.InvokeAsync("EndChat", session);
        await HubClient.NextAsync(third.Statuses, s => s == SessionStatus.Ended); // pushed after line 3, in order

        // A push on its way while the page resumed may bring a line the resume brought too; the page keeps
        // one per sequence number, as this does.
        var shown = resumed.Messages.Concat(Drain(third.Messages)).DistinctBy(m => m.Sequence).OrderBy(m => m.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)seen + 1, shown.Count).Select(i => (long)i), shown.Select(m => m.Sequence));
        Assert.Equal(["line 2", "line 3"], shown.Where(m => m.Author == MessageAuthor.Operator).Select(m => m.Text));
    }

    private static List<ChatMessage> Drain(System.Threading.Channels.Channel<ChatMessage> inbox)
    {
        var all = new List<ChatMessage>();
        while (inbox.Reader.TryRead(out var m))
        {
            all.Add(m);
        }

        return all;
    }
}
