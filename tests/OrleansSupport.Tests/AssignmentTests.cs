namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AssignmentTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Twenty_racing_operators_take_two_hundred_customers_exactly_once_within_capacity()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customers = new List<TestCustomer>();
        for (var i = 0; i < 200; i++)
        {
            customers.Add(await TestCustomer.QueuedAsync(fixture.Grains));
        }

        var operators = Enumerable.Range(0, 20)
            .Select(i => fixture.Grains.GetGrain<IOperatorGrain>($"race-{Guid.NewGuid():N}-{i}"))
            .ToArray();
        await Task.WhenAll(operators.Select(o => o.Configure(["en"], capacity: 8)));

        // Every operator asks at once, over and over, until it is full: 160 places for 200 customers.
        var taken = await Task.WhenAll(operators.Select(async o =>
        {
            var mine = new List<Guid>();
            while (true)
            {
                try
                {
                    if (await o.AcceptNext() is not { } sessionId)
                    {
                        break;
                    }

                    mine.Add(sessionId);
                }
                catch (SupportException ex) when (ex.Code == "at-capacity")
                {
                    break;
                }
            }

            return mine;
        }));

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(160, all.Count);
        Assert.Equal(160, all.Distinct().Count());
        Assert.All(taken, mine => Assert.Equal(8, mine.Count));

        // The 160 longest waiting were served; the other 40 still wait, in their order, numbered 1..40.
        Assert.Equal(customers.Take(160).Select(c => c.SessionId).Order(), all.Order());
        var stillWaiting = customers.Skip(160).ToList();
        for (var i = 0; i < stillWaiting.Count; i++)
        {
            var view = await stillWaiting[i].Resume();
            Assert.Equal((SessionStatus.Queued, i + 1), (view.Status, view.Place!.Position));
        }

        for (var i = 0; i < operators.Length; i++)
        {
            var view = await operators[i].GetView();
            Assert.Equal(taken[i].Order(), view.ActiveChats.Order());
            foreach (var sessionId in taken[i])
            {
                var chat = await fixture.Grains.GetGrain<ICustomerSessionGrain>(sessionId).GetForOperator(view.OperatorId, 0);
                Assert.Equal(SessionStatus.Chatting, chat.Status);
            }
        }
    }

    [Fact]
    public async Task An_operator_at_capacity_is_refused_and_a_finished_chat_frees_a_place()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var first = await TestCustomer.QueuedAsync(fixture.Grains);
        var second = await TestCustomer.QueuedAsync(fixture.Grains);
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"cap-{Guid.NewGuid():N}");
        await op.Configure(["en"], capacity: 1);

        Assert.Equal(first.SessionId, await op.AcceptNext());
        var refusal = await Assert.ThrowsAsync<SupportException>(() => op.AcceptNext());
        Assert.Equal("at-capacity", refusal.Code);
        Assert.Equal(1, (await second.Resume()).Place!.Position);

        await first.Grain.EndByCustomer(first.Secret);

        await Eventually.Async(() => op.GetView(), v => v.ActiveChats.Length == 0); // released one way
        Assert.Equal(second.SessionId, await op.AcceptNext());
    }

    [Fact]
    public async Task The_longest_waiting_customer_across_languages_is_taken_first()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var russian = await TestCustomer.QueuedAsync(fixture.Grains, "ru");
        var english = await TestCustomer.QueuedAsync(fixture.Grains, "en");
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"both-{Guid.NewGuid():N}");
        await op.Configure(["en", "ru"], capacity: 2);

        Assert.Equal(russian.SessionId, await op.AcceptNext());
        Assert.Equal(english.SessionId, await op.AcceptNext());
    }

    [Fact]
    public async Task An_available_operator_gets_new_customers_without_asking()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"auto-{Guid.NewGuid():N}");
        await op.Configure(["ru"], capacity: 2);
        await op.SetAvailable(true);

        var customer = await TestCustomer.QueuedAsync(fixture.Grains, "ru");

        var view = await Eventually.Async(() => customer.Resume(), v => v.Status == SessionStatus.Chatting);
        Assert.Equal((await op.GetView()).OperatorId, view.OperatorId);
        await op.SetAvailable(false);
    }

    [Fact]
    public async Task A_customer_who_left_is_never_assigned()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var leaver = await TestCustomer.QueuedAsync(fixture.Grains);
        var stayer = await TestCustomer.QueuedAsync(fixture.Grains);
        await leaver.Grain.EndByCustomer(leaver.Secret);
        var op = fixture.Grains.GetGrain<IOperatorGrain>($"left-{Guid.NewGuid():N}");
        await op.Configure(["en"], capacity: 2);

        Assert.Equal(stayer.SessionId, await op.AcceptNext());
        Assert.Null(await op.AcceptNext());
        Assert.Equal(SessionStatus.Ended, (await leaver.Resume()).Status);
    }
}
