namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class BadInputTests(ClusterFixture fixture)
{
    private async Task<HubException> RefusedAsync(Func<Task> call, string code)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.True(error.Message.Contains(code + ":"), error.Message);
        return error;
    }

    [Fact]
    public async Task Unknown_language_is_refused_and_no_session_exists_afterwards()
    {
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await RefusedAsync(() => customer.StartAsync("xx"), "unknown-language");
        await RefusedAsync(() => customer.RequestOperatorAsync(), "no-session");
        await Assert.ThrowsAsync<SupportException>(() => fixture.Grains.GetGrain<IQueueGrain>("xx").Enqueue(Guid.NewGuid(), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Forged_and_malformed_session_tokens_are_refused_alike()
    {
        await using var victim = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var victimSession = await victim.StartAsync();
        await using var attacker = await CustomerClient.ConnectAsync(fixture.FrontendUrl);

        // The right session id with a guessed secret, a random id, and garbage: all the same answer.
        var forged = new WebFrontend.Hubs.SessionToken(victimSession.SessionId, SessionSecret.Create()).ToString();
        var random = WebFrontend.Hubs.SessionToken.CreateNew().ToString();
        foreach (var token in new[] { forged, random, "not-a-token", "", new string('A', 5000) })
        {
            await RefusedAsync(() => attacker.ResumeAsync(token, 0), "unknown-session");
        }

        await RefusedAsync(() => attacker.SendAsync("hi"), "no-session");
        var grainDirect = await Assert.ThrowsAsync<SupportException>(() => fixture.Grains.GetGrain<ICustomerSessionGrain>(victimSession.SessionId).Resume(SessionSecret.Create(), 0));
        Assert.Equal("unknown-session", grainDirect.Code);
        Assert.Equal(SessionStatus.Browsing, (await victim.ResumeAsync(victim.Token, 0)).Status);
    }

    [Fact]
    public async Task Messages_before_an_operator_joined_are_refused_and_change_nothing()
    {
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await customer.StartAsync();
        await RefusedAsync(() => customer.SendAsync("hello?"), "wrong-state");
        await customer.RequestOperatorAsync();
        await RefusedAsync(() => customer.SendAsync("hello?"), "wrong-state");
        await RefusedAsync(() => customer.Hub.InvokeAsync("Typing", true), "wrong-state");

        var view = await customer.ResumeAsync(customer.Token, 0);
        Assert.Equal(SessionStatus.Queued, view.Status);
        Assert.Empty(view.Messages);
        await customer.Hub.InvokeAsync("End");
    }

    [Fact]
    public async Task Empty_and_oversized_messages_are_refused_and_the_transcript_is_unchanged()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        var operatorId = $"bad-{Guid.NewGuid():N}";
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, operatorId, ["en"]);
        await op.AcceptNextAsync();
        var before = await customer.ResumeAsync(customer.Token, 0);

        await RefusedAsync(() => customer.SendAsync(""), "message-empty");
        await RefusedAsync(() => customer.SendAsync("   \n\t "), "message-empty");
        await RefusedAsync(() => customer.SendAsync(new string('x', SupportLimits.MaxMessageLength + 1)), "message-too-long");
        await RefusedAsync(() => op.SendAsync(session.SessionId, new string('y', SupportLimits.MaxMessageLength + 1)), "message-too-long");
        await RefusedAsync(() => customer.SendAsync("no id", Guid.Empty), "bad-message-id");
        var atLimit = await customer.SendAsync(new string('z', SupportLimits.MaxMessageLength));

        var after = await customer.ResumeAsync(customer.Token, 0);
        Assert.Equal(before.LastSequence + 1, after.LastSequence);
        Assert.Equal(atLimit.Sequence, after.LastSequence);
    }

    [Fact]
    public async Task An_operator_cannot_touch_a_chat_that_is_not_theirs()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        await using var owner = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"own-{Guid.NewGuid():N}", ["en"]);
        await owner.AcceptNextAsync();
        await using var other = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"oth-{Guid.NewGuid():N}", ["en"]);

        await RefusedAsync(() => other.SendAsync(session.SessionId, "hi"), "not-your-chat");
        await RefusedAsync(() => other.Hub.InvokeAsync("EndChat", session.SessionId), "not-your-chat");
        await RefusedAsync(() => other.Hub.InvokeAsync<SessionView>("GetChat", session.SessionId, 0L), "not-your-chat");
        await RefusedAsync(() => other.Hub.InvokeAsync<SessionView>("GetChat", Guid.NewGuid(), 0L), "not-your-chat");
        Assert.Equal(SessionStatus.Chatting, (await customer.ResumeAsync(customer.Token, 0)).Status);
    }

    [Fact]
    public async Task Bad_operator_settings_are_refused()
    {
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, $"set-{Guid.NewGuid():N}");
        await using var client = new HubConnectionBuilder().WithUrl(new Uri(fixture.FrontendUrl, "/hubs/operator"), o => o.Cookies = cookies).Build();
        await client.StartAsync();

        await RefusedAsync(() => client.InvokeAsync<Guid?>("AcceptNext"), "not-signed-in");
        await RefusedAsync(() => client.InvokeAsync<OperatorView>("SignIn", new[] { "xx" }, 1), "unknown-language");
        await RefusedAsync(() => client.InvokeAsync<OperatorView>("SignIn", Array.Empty<string>(), 1), "no-languages");
        await RefusedAsync(() => client.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, 0), "bad-capacity");
        await RefusedAsync(() => client.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, 1000), "bad-capacity");
    }

    [Fact]
    public async Task An_oversized_frame_closes_only_that_connection()
    {
        await using var bystander = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await bystander.StartAsync();
        await using var flooder = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await flooder.StartAsync();
        var closed = new TaskCompletionSource();
        flooder.Hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        _ = flooder.SendAsync(new string('x', 100_000)).ContinueWith(_ => { });

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SessionStatus.Browsing, (await bystander.ResumeAsync(bystander.Token, 0)).Status);
    }


    [Fact]
    public async Task A_message_flood_from_one_customer_is_refused_and_others_are_not_slowed()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"flood-{Guid.NewGuid():N}", ["en"], capacity: 2);
        var (flooder, sessionId) = await ChattingWithAsync(op);
        await using var _ = flooder;
        var (bystander, _) = await ChattingWithAsync(op);
        await using var __ = bystander;

        // The flood runs while another customer of the same operator writes: that one is served, and soon.
        var floodClock = System.Diagnostics.Stopwatch.StartNew();
        var flood = Enumerable.Range(0, 30).Select(i => HubErrors.RefusalOf(flooder.SendAsync($"spam {i}"))).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await bystander.SendAsync("my order is late");
        clock.Stop();
        var outcomes = await Task.WhenAll(flood);
        floodClock.Stop();
        var accepted = outcomes.Count(o => o is null);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the other customer waited {clock.Elapsed}");
        Assert.InRange(accepted, 10, 10 + (int)Math.Ceiling(2 * floodClock.Elapsed.TotalSeconds)); // the burst, plus what refilled meanwhile (2/s)
        Assert.All(outcomes.OfType<string>(), o => Assert.Contains("rate-limited: Too many messages at once", o));
        Assert.Equal(accepted, (await flooder.ResumeAsync(flooder.Token, 0)).Messages.Count(m => m.Author == MessageAuthor.Customer));

        // The operator's side of the same chat is not limited by it, and later the customer may write again.
        await op.SendAsync(sessionId, "Please slow down.");
        await Task.Delay(1100);
        await flooder.SendAsync("sorry");
    }

    [Fact]
    public async Task An_operator_flooding_one_chat_is_refused_there_and_still_answers_the_other()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"flood-{Guid.NewGuid():N}", ["en"], capacity: 2);
        var (flooded, floodedId) = await ChattingWithAsync(op);
        await using var _ = flooded;
        var (other, otherId) = await ChattingWithAsync(op);
        await using var __ = other;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => HubErrors.RefusalOf(op.SendAsync(floodedId, $"canned {i}"))));
        clock.Stop();
        var accepted = outcomes.Count(o => o is null);

        // The operator's burst of 20, plus what refilled (5 a second) while the flood ran.
        Assert.InRange(accepted, 20, 20 + (int)Math.Ceiling(5 * clock.Elapsed.TotalSeconds));
        Assert.All(outcomes.OfType<string>(), o => Assert.Contains("rate-limited: Too many messages at once", o));
        Assert.Equal(accepted, (await flooded.ResumeAsync(flooded.Token, 0)).Messages.Count(m => m.Author == MessageAuthor.Operator));
        await op.SendAsync(otherId, "Sorry for the wait, checking your order now.");
    }

    /// <summary>A customer connected over SignalR, waiting in "en", then taken by <paramref name="op"/>.</summary>
    private async Task<(CustomerClient Customer, Guid SessionId)> ChattingWithAsync(OperatorClient op)
    {
        var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());
        return (customer, session.SessionId);
    }
}
