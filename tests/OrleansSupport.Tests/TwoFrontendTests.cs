namespace OrleansSupport.Tests;

/// <summary>Customers and operators on different frontends, grains on either of two silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TwoFrontendTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Queue_numbers_and_chat_reach_browsers_on_whichever_frontend_holds_them()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customers = new List<CustomerClient>();
        try
        {
            // Alternate frontends: even customers on the first, odd on the second.
            for (var i = 0; i < 6; i++)
            {
                var client = await CustomerClient.ConnectAsync(i % 2 == 0 ? fixture.FrontendUrl : fixture.SecondFrontendUrl);
                customers.Add(client);
                await client.StartAsync();
                Assert.Equal(i + 1, (await client.RequestOperatorAsync()).Position);
            }

            await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.SecondFrontendUrl, $"two-{Guid.NewGuid():N}", ["en"]);
            Assert.NotNull(await op.AcceptNextAsync());

            // Everyone behind the head moved up by one, on both frontends.
            for (var i = 1; i < customers.Count; i++)
            {
                Assert.Equal(i, (await HubClient.NextAsync(customers[i].Positions, p => p.Position == i)).Position);
            }

            // The served customer is on the first frontend, the operator on the second.
            var served = customers[0];
            await HubClient.NextAsync(served.Statuses, s => s == SessionStatus.Chatting);
            var question = await served.SendAsync("hello from frontend one");
            var atOperator = await HubClient.NextAsync(op.Messages, m => m.Message.Author == MessageAuthor.Customer);
            Assert.Equal(question.Sequence, atOperator.Message.Sequence);
            await op.SendAsync(atOperator.Session, "hello from frontend two");
            Assert.Equal("hello from frontend two", (await HubClient.NextAsync(served.Messages, m => m.Author == MessageAuthor.Operator)).Text);
        }
        finally
        {
            foreach (var c in customers)
            {
                await c.Hub.InvokeAsync("End");
                await c.DisposeAsync();
            }
        }
    }
}
