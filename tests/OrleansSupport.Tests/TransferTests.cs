namespace OrleansSupport.Tests;

/// <summary>Operators hand chats to another language's queue or to a named colleague.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TransferTests(ClusterFixture fixture)
{
    private async Task<(TestCustomer Customer, IOperatorGrain Operator)> ChatAsync(string language = "en")
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>(language));
        var customer = await TestCustomer.QueuedAsync(fixture.Grains, language);
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"tr-{Guid.NewGuid():N}");
        await op.Configure([language], 1);
        Assert.Equal(customer.SessionId, await op.AcceptNext());
        return (customer, op);
    }

    [Fact]
    public async Task A_transfer_to_another_queue_keeps_the_waiting_time_and_tells_the_customer()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var (customer, op) = await ChatAsync("en");
        var newerRussian = await TestCustomer.QueuedAsync(fixture.Grains, "ru");
        var operatorId = (await op.GetView()).OperatorId;

        var place = await customer.Grain.TransferToQueue(operatorId, "ru");

        // Waiting since before the Russian customer came, the transferred one goes ahead of them.
        Assert.Equal(("ru", 1), (place.Language, place.Position));
        Assert.Equal(2, (await newerRussian.Resume()).Place!.Position);
        var view = await customer.Resume();
        Assert.Equal((SessionStatus.Queued, "ru", (string?)null), (view.Status, view.Language, view.OperatorId));
        Assert.Equal("transferred-to-queue", view.Messages[^1].Code);
        await Eventually.Async(async () => (await op.GetView()).ActiveChats.Length, n => n == 0);
        await customer.Grain.EndByCustomer(customer.Secret);
        await newerRussian.Grain.EndByCustomer(newerRussian.Secret);
    }

    [Fact]
    public async Task A_transfer_to_a_named_operator_moves_the_chat_only_when_they_have_room()
    {
        var (customer, from) = await ChatAsync();
        var fromId = (await from.GetView()).OperatorId;
        var to = fixture.Grains.GetGrain<IOperatorGrain>($"to-{Guid.NewGuid():N}");
        await to.Configure(["en"], 1);
        var (busyCustomer, busy) = await ChatAsync(); // an operator with no room left

        var full = await Assert.ThrowsAsync<SupportException>(() => busy.TakeTransfer(customer.SessionId, fromId));
        var nobody = await Assert.ThrowsAsync<SupportException>(() => fixture.Grains.GetGrain<IOperatorGrain>($"nobody-{Guid.NewGuid():N}").TakeTransfer(customer.SessionId, fromId));
        var stranger = await Assert.ThrowsAsync<SupportException>(() => to.TakeTransfer(customer.SessionId, "not-the-operator"));
        Assert.Equal(("at-capacity", "unknown-operator", "not-your-chat"), (full.Code, nobody.Code, stranger.Code));
        Assert.Equal(fromId, (await customer.Resume()).OperatorId);

        await to.TakeTransfer(customer.SessionId, fromId);

        var view = await customer.Resume();
        Assert.Equal((SessionStatus.Chatting, (await to.GetView()).OperatorId), (view.Status, view.OperatorId));
        Assert.Equal("transferred-to-operator", view.Messages[^1].Code);
        Assert.Equal([customer.SessionId], (await to.GetView()).ActiveChats);
        await Eventually.Async(async () => (await from.GetView()).ActiveChats.Length, n => n == 0);
        await customer.Grain.EndByCustomer(customer.Secret);
        await busyCustomer.Grain.EndByCustomer(busyCustomer.Secret);
    }

    [Fact]
    public async Task Operators_transfer_through_the_hub_and_the_new_operator_is_told()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        await using var first = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"first-{Guid.NewGuid():N}", ["en"]);
        var secondName = $"second-{Guid.NewGuid():N}";
        await using var second = await OperatorClient.SignInAsync(fixture.Grains, fixture.SecondFrontendUrl, secondName, ["en"]);
        Assert.Equal(session.SessionId, await first.AcceptNextAsync());

        var refused = await Assert.ThrowsAsync<HubException>(() => second.Hub.InvokeAsync("TransferToQueue", session.SessionId, "ru"));
        Assert.Contains("not-your-chat:", refused.Message);
        await first.Hub.InvokeAsync("TransferToOperator", session.SessionId, secondName.ToUpperInvariant());

        Assert.Equal(session.SessionId, await HubClient.NextAsync(second.Assigned));
        Assert.Equal(session.SessionId, await HubClient.NextAsync(first.Ended));
        await second.SendAsync(session.SessionId, "I take it from here.");
        Assert.Equal("I take it from here.", (await HubClient.NextAsync(customer.Messages, m => m.Author == MessageAuthor.Operator)).Text);
        await customer.Hub.InvokeAsync("End");
    }
}
