namespace OrleansSupport.Tests;

/// <summary>The help-center rules as the session grain and the customer hub enforce them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerJourneyTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static DateTimeOffset TodayInMoscow(int hour, int minute, int second) =>
        new(DateTimeOffset.UtcNow.ToOffset(Moscow).Date.AddHours(hour).AddMinutes(minute).AddSeconds(second), Moscow);

    [Fact]
    public async Task A_question_no_operator_can_handle_does_not_reach_the_queue()
    {
        var customer = await TestCustomer.StartAsync(fixture.Grains, questionId: TestCustomer.SelfServiceQuestion);

        var refusal = await Assert.ThrowsAsync<SupportException>(() => customer.RequestOperator());

        Assert.Equal("question-not-for-operators", refusal.Code);
        Assert.Equal(SessionStatus.Browsing, (await customer.Resume()).Status);

        // Picking a question an operator can handle in the chat window opens the way.
        await customer.Grain.ChooseQuestion(customer.Secret, TestCustomer.ChatQuestion);
        await customer.RequestOperator();
        Assert.Equal(SessionStatus.Queued, (await customer.Resume()).Status);
        await customer.Grain.EndByCustomer(customer.Secret);
    }

    [Fact]
    public async Task Unknown_questions_are_refused()
    {
        var grain = fixture.Grains.GetGrain<ICustomerSessionGrain>(Guid.NewGuid());
        var refusal = await Assert.ThrowsAsync<SupportException>(() => grain.Start("en", "no.such-question", SessionSecret.Hash(SessionSecret.Create())));
        Assert.Equal("unknown-question", refusal.Code);

        var customer = await TestCustomer.StartAsync(fixture.Grains);
        var choose = await Assert.ThrowsAsync<SupportException>(() => customer.Grain.ChooseQuestion(customer.Secret, "<script>"));
        Assert.Equal("unknown-question", choose.Code);
        Assert.Equal(TestCustomer.ChatQuestion, (await customer.Resume()).QuestionId);
    }

    [Theory]
    [InlineData(5, 59, 59, false)]
    [InlineData(6, 0, 0, true)]
    [InlineData(23, 59, 59, true)]
    [InlineData(0, 0, 0, false)]
    public async Task The_russian_queue_takes_customers_only_within_its_hours(int hour, int minute, int second, bool open)
    {
        var customer = await TestCustomer.StartAsync(fixture.Grains, "ru");
        fixture.Clock.Freeze(TodayInMoscow(hour, minute, second));
        try
        {
            if (open)
            {
                Assert.Equal("ru", (await customer.RequestOperator()).Language);
                await customer.Grain.EndByCustomer(customer.Secret);
            }
            else
            {
                var refusal = await Assert.ThrowsAsync<SupportException>(() => customer.RequestOperator());
                Assert.Equal("queue-closed", refusal.Code);
                Assert.Equal(SessionStatus.Browsing, (await customer.Resume()).Status);
            }
        }
        finally
        {
            fixture.Clock.Run(TodayInMoscow(12, 0, 0));
        }
    }

    [Fact]
    public async Task After_hours_a_russian_speaker_can_take_the_english_queue()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customer = await TestCustomer.StartAsync(fixture.Grains, "ru");
        fixture.Clock.Freeze(TodayInMoscow(3, 0, 0));
        try
        {
            var place = await customer.Grain.MoveToFallback(customer.Secret);

            Assert.Equal(("en", 1), (place.Language, place.Position));
            var view = await customer.Resume();
            Assert.Equal(("en", SessionStatus.Queued), (view.Language, view.Status));
        }
        finally
        {
            fixture.Clock.Run(TodayInMoscow(12, 0, 0));
            await customer.Grain.EndByCustomer(customer.Secret);
        }
    }

    [Fact]
    public async Task At_closing_a_waiting_customer_is_told_and_keeps_their_waiting_time_in_english()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        fixture.Clock.Run(TodayInMoscow(23, 50, 0));
        await using var russian = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await using var english = await CustomerClient.ConnectAsync(fixture.SecondFrontendUrl);
        try
        {
            await russian.StartAsync("ru");
            await russian.RequestOperatorAsync();
            fixture.Clock.Run(TodayInMoscow(23, 55, 0));
            await english.StartAsync("en");
            await english.RequestOperatorAsync();

            fixture.Clock.Run(TodayInMoscow(0, 0, 1).AddDays(1));

            var notice = await HubClient.NextAsync(russian.Closed);
            Assert.Equal(("ru", "en", true), (notice.Language, notice.Fallback, notice.FallbackOpen));
            var moved = await russian.Hub.InvokeAsync<QueuePlace>("MoveToFallback");

            // Waiting since 23:50, the Russian speaker goes ahead of the English customer who came at 23:55.
            Assert.Equal(("en", 1, 2), (moved.Language, moved.Position, moved.Waiting));
            Assert.Equal(2, (await HubClient.NextAsync(english.Positions, p => p.Position == 2)).Position);
            Assert.Null(await fixture.Grains.GetGrain<IQueueGrain>("ru").GetPlace((await russian.ResumeAsync(russian.Token, 0)).SessionId));
        }
        finally
        {
            fixture.Clock.Run(TodayInMoscow(12, 0, 0));
            await russian.Hub.InvokeAsync("End");
            await english.Hub.InvokeAsync("End");
        }
    }

    [Fact]
    public async Task The_estimated_wait_comes_from_the_queue_recent_service_pace()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await QueueOrderTests.DrainAsync(queue);
        var first = await TestCustomer.QueuedAsync(fixture.Grains, "ru");
        var second = await TestCustomer.QueuedAsync(fixture.Grains, "ru");

        // Two customers were just served (the drain above, and now this one), so there is a pace.
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"pace-{Guid.NewGuid():N}");
        await op.Configure(["ru"], 1);
        Assert.Equal(first.SessionId, await op.AcceptNext());
        var third = await TestCustomer.QueuedAsync(fixture.Grains, "ru");

        var secondPlace = (await second.Resume()).Place!;
        var thirdPlace = (await third.Resume()).Place!;
        Assert.NotNull(secondPlace.EstimatedWaitSeconds);
        Assert.True(thirdPlace.EstimatedWaitSeconds > secondPlace.EstimatedWaitSeconds);
        Assert.Equal(2 * secondPlace.EstimatedWaitSeconds!.Value, thirdPlace.EstimatedWaitSeconds!.Value, tolerance: 2);

        await first.Grain.EndByCustomer(first.Secret);
        await second.Grain.EndByCustomer(second.Secret);
        await third.Grain.EndByCustomer(third.Secret);
    }
}
