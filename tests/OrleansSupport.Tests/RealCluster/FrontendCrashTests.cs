namespace OrleansSupport.Tests.RealCluster;

/// <summary>A web frontend killed mid-conversation: its clients move to the other one and lose nothing.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class FrontendCrashTests(PostgresFixture postgres)
{
    private const int Chats = 20;
    private const int MessagesPerSide = 20;

    [Fact]
    public async Task Clients_of_a_killed_frontend_resume_on_the_other_with_every_message_once_and_in_order()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync());
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var doomed = await cluster.StartFrontendAsync();
        var survivor = await cluster.StartFrontendAsync();
        var client = await cluster.ConnectClientAsync();

        // Twenty chats; customer and operator of every other chat sit on the frontend that will die.
        var pairs = new List<(ResilientParticipant Customer, ResilientParticipant Operator, string OperatorId, Guid SessionId, Uri Home)>();
        for (var i = 0; i < Chats; i++)
        {
            var home = i % 2 == 0 ? doomed : survivor;
            await using var starter = await CustomerClient.ConnectAsync(home);
            var session = await starter.StartAsync();
            await starter.RequestOperatorAsync();
            var operatorId = $"op{i}";
            await client.GetGrain<IOperatorGrain>(operatorId).Configure(["en"], 1);
            Assert.Equal(session.SessionId, await client.GetGrain<IOperatorGrain>(operatorId).AcceptNext());

            var customer = ResilientParticipant.Customer(starter.Token);
            var op = ResilientParticipant.Operator(await TestAccounts.OperatorAsync(client, home, operatorId), session.SessionId);
            await customer.ConnectAsync(home);
            await op.ConnectAsync(home);
            pairs.Add((customer, op, operatorId, session.SessionId, home));
        }

        try
        {
            // Both sides talk; a little way in, the first frontend is killed with SIGKILL.
            var talking = pairs.Select(async pair =>
            {
                for (var m = 0; m < MessagesPerSide; m++)
                {
                    await pair.Customer.SendAsync($"customer {m}", survivor);
                    await pair.Operator.SendAsync($"operator {m}", survivor);
                    await Task.Delay(50);
                }
            }).ToList();
            await Task.Delay(700);
            await cluster.Frontends[0].Process.KillAsync();
            await Task.WhenAll(talking);

            // No grain keeps pushing to the dead frontend: the directory forgets it once it stops renewing.
            await Eventually.Async(async () => (await client.GetGrain<OrleansSupport.Push.IFrontendDirectoryGrain>(0).GetLive()).Length, n => n == 1, timeoutSeconds: 40);

            foreach (var (customer, op, operatorId, sessionId, home) in pairs)
            {
                // Anything still in flight arrives or is fetched; then both sides must hold the whole transcript.
                await customer.CatchUpAsync();
                await op.CatchUpAsync();
                var transcript = (await client.GetGrain<ICustomerSessionGrain>(sessionId).GetForOperator(operatorId, 0)).Messages;

                Assert.Equal(Enumerable.Range(1, transcript.Length).Select(i => (long)i), transcript.Select(m => m.Sequence));
                Assert.Equal(1 + (2 * MessagesPerSide), transcript.Length); // "operator joined" and every message, once
                Assert.Equal(transcript, customer.Received.Values.OrderBy(m => m.Sequence));
                Assert.Equal(transcript, op.Received.Values.OrderBy(m => m.Sequence));
                Assert.Equal(Enumerable.Range(0, MessagesPerSide).Select(m => $"customer {m}"), transcript.Where(m => m.Author == MessageAuthor.Customer).Select(m => m.Text));
                Assert.Equal(Enumerable.Range(0, MessagesPerSide).Select(m => $"operator {m}"), transcript.Where(m => m.Author == MessageAuthor.Operator).Select(m => m.Text));
                Assert.All(customer.Acknowledged.Concat(op.Acknowledged), ack => Assert.Contains(ack, transcript));
                if (home == doomed)
                {
                    Assert.True(customer.Reconnects >= 1 && op.Reconnects >= 1, "clients of the killed frontend moved to the other one");
                }
            }
        }
        finally
        {
            foreach (var (customer, op, _, _, _) in pairs)
            {
                await customer.DisposeAsync();
                await op.DisposeAsync();
            }
        }
    }
}
