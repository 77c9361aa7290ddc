using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ChatTests(ClusterFixture fixture)
{
    /// <summary>A customer connected over SignalR and an operator who has just taken them.</summary>
    private async Task<(CustomerClient Customer, OperatorClient Operator, Guid SessionId)> StartChatAsync()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"chat-{Guid.NewGuid():N}", ["en"]);
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());
        Assert.Equal(session.SessionId, await HubClient.NextAsync(op.Assigned));
        Assert.Equal(SessionStatus.Chatting, await HubClient.NextAsync(customer.Statuses, s => s == SessionStatus.Chatting));
        return (customer, op, session.SessionId);
    }

    [Fact]
    public async Task Customer_and_operator_exchange_messages_both_ways_with_typing()
    {
        var (customer, op, sessionId) = await StartChatAsync();
        await using var _ = customer;
        await using var __ = op;

        var hello = await customer.SendAsync("Where is my order #123?");
        var atOperator = await HubClient.NextAsync(op.Messages, m => m.Message.Author == MessageAuthor.Customer);
        Assert.Equal((sessionId, hello.Sequence, "Where is my order #123?"), (atOperator.Session, atOperator.Message.Sequence, atOperator.Message.Text));

        await op.Hub.InvokeAsync("Typing", sessionId, true);
        Assert.True(await HubClient.NextAsync(customer.Typing));
        await customer.Hub.InvokeAsync("Typing", true);
        Assert.Equal((sessionId, true), await HubClient.NextAsync(op.Typing));

        var reply = await op.SendAsync(sessionId, "It ships <b>tomorrow</b>.");
        var atCustomer = await HubClient.NextAsync(customer.Messages, m => m.Author == MessageAuthor.Operator);
        Assert.Equal((reply.Sequence, "It ships <b>tomorrow</b>."), (atCustomer.Sequence, atCustomer.Text));
        Assert.Equal(hello.Sequence + 1, reply.Sequence);
    }

    [Fact]
    public async Task Either_side_can_end_the_chat_and_the_other_is_told()
    {
        var (customer, op, sessionId) = await StartChatAsync();
        await using var _ = customer;
        await using var __ = op;

        await op.Hub.InvokeAsync("EndChat", sessionId);

        Assert.Equal(SessionStatus.Ended, await HubClient.NextAsync(customer.Statuses, s => s == SessionStatus.Ended));
        Assert.Equal(sessionId, await HubClient.NextAsync(op.Ended));
        var late = await Assert.ThrowsAsync<HubException>(() => customer.SendAsync("still there?"));
        Assert.Contains("wrong-state", late.Message);

        var (customer2, op2, sessionId2) = await StartChatAsync();
        await using var ___ = customer2;
        await using var ____ = op2;
        await customer2.Hub.InvokeAsync("End");
        Assert.Equal(sessionId2, await HubClient.NextAsync(op2.Ended));
    }

    [Fact]
    public async Task A_reconnecting_customer_resumes_with_the_transcript_and_no_duplicates()
    {
        var (customer, op, sessionId) = await StartChatAsync();
        await using var __ = op;
        var token = customer.Token;
        await customer.SendAsync("first");
        await op.SendAsync(sessionId, "second");
        var retriedId = Guid.NewGuid();
        var third = await customer.SendAsync("third", retriedId);
        await customer.DisposeAsync();

        // Meanwhile the operator writes again; the customer is offline.
        await op.SendAsync(sessionId, "while you were away");

        await using var again = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var everything = await again.ResumeAsync(token, 0);
        var onlyNew = await again.ResumeAsync(token, third.Sequence);
        var retried = await again.SendAsync("third", retriedId);

        Assert.Equal(SessionStatus.Chatting, everything.Status);
        Assert.Equal(Enumerable.Range(1, everything.Messages.Length).Select(i => (long)i), everything.Messages.Select(m => m.Sequence));
        Assert.Equal(["first", "second", "third", "while you were away"], everything.Messages.Where(m => m.Author != MessageAuthor.System).Select(m => m.Text));
        Assert.Equal(["while you were away"], onlyNew.Messages.Select(m => m.Text));
        Assert.Equal(third.Sequence, retried.Sequence);
        Assert.Equal(everything.LastSequence, (await again.ResumeAsync(token, 0)).Messages.Length);

        var live = await op.SendAsync(sessionId, "welcome back");
        Assert.Equal(live.Sequence, (await HubClient.NextAsync(again.Messages, m => m.Text == "welcome back")).Sequence);
    }

    [Fact]
    public async Task A_refresh_keeps_the_place_in_the_queue_and_live_numbers_resume()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var ahead = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await ahead.StartAsync();
        await ahead.RequestOperatorAsync();
        var refreshing = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await refreshing.StartAsync();
        Assert.Equal(2, (await refreshing.RequestOperatorAsync()).Position);
        var token = refreshing.Token;
        await refreshing.DisposeAsync();

        await using var reloaded = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var view = await reloaded.ResumeAsync(token, 0);
        Assert.Equal((SessionStatus.Queued, 2), (view.Status, view.Place!.Position));

        await ahead.Hub.InvokeAsync("End");
        Assert.Equal(1, (await HubClient.NextAsync(reloaded.Positions)).Position);
    }

    [Fact]
    public async Task The_customer_rates_the_ended_chat_once()
    {
        var (customer, op, sessionId) = await StartChatAsync();
        await using var _ = customer;
        await using var __ = op;
        var early = await Assert.ThrowsAsync<HubException>(() => customer.Hub.InvokeAsync("Rate", 5, "too soon"));
        Assert.Contains("wrong-state:", early.Message);

        await op.Hub.InvokeAsync("EndChat", sessionId);
        var outOfRange = await Assert.ThrowsAsync<HubException>(() => customer.Hub.InvokeAsync("Rate", 6, (string?)null));
        Assert.Contains("bad-rating:", outOfRange.Message);
        await customer.Hub.InvokeAsync("Rate", 4, "Quick and <b>kind</b>");
        var twice = await Assert.ThrowsAsync<HubException>(() => customer.Hub.InvokeAsync("Rate", 1, (string?)null));
        Assert.Contains("already-rated:", twice.Message);

        var view = await customer.ResumeAsync(customer.Token, 0);
        Assert.Equal((4, "Quick and <b>kind</b>"), (view.Rating!.Score, view.Rating.Comment));

        // The customer's page learns no operator's login name; the stored rating keeps whom it is for.
        Assert.Null(view.Rating.OperatorId);
        Assert.Null(view.OperatorId);
        var token = SessionToken.Parse(customer.Token);
        Assert.NotNull((await fixture.Grains.GetGrain<ICustomerSessionGrain>(token.SessionId).Resume(token.Secret, 0)).Rating!.OperatorId);
    }
}
