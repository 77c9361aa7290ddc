namespace OrleansSupport.Tests.Presence;

/// <summary>
/// The operator sees when a chat's customer has no connection; a customer who stays gone past the chat grace
/// ends the chat as "customer left", and one who comes back within it keeps the chat.
/// </summary>
public sealed class CustomerOfflineChatTests
{
    [Fact]
    public async Task A_customer_who_disconnects_shows_offline_and_past_the_grace_the_chat_ends_and_frees_the_operators_place()
    {
        // 5 s: the operator looks every 4 s, so the chat is seen offline for one look before it ends.
        await using var scene = await Scene.StartAsync(customerChatGraceSeconds: 5);
        var (own, op, chat) = (scene.Own, scene.Operator, scene.Chat);
        var next = await TestCustomer.QueuedAsync(own.Grains); // waits: the operator is full
        await op.Hub.InvokeAsync<OperatorView>("SetAvailable", true);

        await scene.Customer.DisposeAsync();

        Assert.Equal((chat, false), await HubClient.NextAsync(op.Presence, timeoutSeconds: 20));
        Assert.Equal([chat], (await op.GetStatusAsync()).OfflineChats);

        Assert.Equal(chat, await HubClient.NextAsync(op.Ended, timeoutSeconds: 30));
        var ended = await own.Grains.GetGrain<ICustomerSessionGrain>(chat).GetForOperator(Scene.OperatorId, 0);
        Assert.Equal(SessionStatus.Ended, ended.Status);
        Assert.Equal("customer-left", ended.Messages[^1].Code);

        // The freed place goes to the customer who was waiting.
        await Eventually.Async(() => next.Resume(), v => v.Status == SessionStatus.Chatting, timeoutSeconds: 20);
        var view = await op.GetStatusAsync();
        Assert.Equal([next.SessionId], view.ActiveChats);
        Assert.Empty(view.OfflineChats);
    }

    [Fact]
    public async Task A_customer_who_reconnects_within_the_grace_shows_online_again_and_keeps_the_chat()
    {
        await using var scene = await Scene.StartAsync(customerChatGraceSeconds: 600);
        var (own, op, chat) = (scene.Own, scene.Operator, scene.Chat);

        await scene.Customer.DisposeAsync();
        Assert.Equal((chat, false), await HubClient.NextAsync(op.Presence, timeoutSeconds: 20));

        // A reload: a new connection resumes the session.
        await using var again = await CustomerClient.ConnectAsync(own.FrontendUrl);
        var resumed = await again.ResumeAsync(scene.Customer.Token, 0);

        Assert.Equal((chat, true), await HubClient.NextAsync(op.Presence, timeoutSeconds: 20));
        Assert.Equal(SessionStatus.Chatting, resumed.Status);
        var view = await op.GetStatusAsync();
        Assert.Equal([chat], view.ActiveChats);
        Assert.Empty(view.OfflineChats);
        await again.SendAsync("still here");
        Assert.Equal("still here", (await HubClient.NextAsync(op.Messages, m => m.Message.Author == MessageAuthor.Customer)).Message.Text);
    }

    /// <summary>A cluster of the test's own, where a connected customer chats with an operator of capacity 1.</summary>
    private sealed record Scene(OwnCluster Own, OperatorClient Operator, CustomerClient Customer, Guid Chat) : IAsyncDisposable
    {
        public const string OperatorId = "minds-the-door";

        public static async Task<Scene> StartAsync(int customerChatGraceSeconds)
        {
            var own = await OwnCluster.StartAsync(presence: TestSettings.Presence(chatGraceSeconds: customerChatGraceSeconds), withFrontend: true);
            var op = await OperatorClient.SignInAsync(own.Grains, own.FrontendUrl, OperatorId, ["en"], capacity: 1);
            var customer = await CustomerClient.ConnectAsync(own.FrontendUrl);
            var session = await customer.StartAsync();
            await customer.RequestOperatorAsync();
            Assert.Equal(session.SessionId, await op.AcceptNextAsync());
            return new Scene(own, op, customer, session.SessionId);
        }

        public async ValueTask DisposeAsync()
        {
            await Customer.DisposeAsync();
            await Operator.DisposeAsync();
            await Own.DisposeAsync();
        }
    }
}
