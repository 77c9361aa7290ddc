namespace OrleansSupport.Tests.RealCluster;

/// <summary>`kill -9` of every silo and frontend, then a fresh start: nothing a customer was told is lost.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class RestartEverythingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task On_postgresql_every_waiting_customer_and_acknowledged_message_survives_killing_everything()
    {
        await SurvivesKillingEverythingAsync(new LocalCluster(await postgres.CreateDatabaseAsync()), silos: 2);
    }

    [Fact]
    public async Task On_the_sqlite_default_every_waiting_customer_and_acknowledged_message_survives_killing_everything()
    {
        var database = TestClusters.NewDatabasePath();
        try
        {
            await SurvivesKillingEverythingAsync(new LocalCluster($"Data Source={database}", postgres: false), silos: 1);
        }
        finally
        {
            TestClusters.DeleteDatabase(database);
        }
    }

    /// <summary>Runs the cluster, kills every process of it, and starts the same cluster (same service) again.</summary>
    private static async Task SurvivesKillingEverythingAsync(LocalCluster cluster, int silos)
    {
        var waiting = new List<TestCustomer>();
        var chats = new List<(string Token, List<ChatMessage> Acknowledged)>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync();
            }

            var frontend = await cluster.StartFrontendAsync();
            var client = await cluster.ConnectClientAsync();

            // Ten chats whose messages were acknowledged over SignalR, then fifty customers left waiting.
            for (var i = 0; i < 10; i++)
            {
                await using var customer = await CustomerClient.ConnectAsync(frontend);
                var session = await customer.StartAsync();
                await customer.RequestOperatorAsync();
                await using var op = await OperatorClient.SignInAsync(client, frontend, $"op{i}", ["en"]);
                Assert.Equal(session.SessionId, await op.AcceptNextAsync());
                var acknowledged = new List<ChatMessage>();
                for (var m = 0; m < 3; m++)
                {
                    acknowledged.Add(await customer.SendAsync($"question {m} of chat {i}"));
                    acknowledged.Add(await op.SendAsync(session.SessionId, $"answer {m} of chat {i}"));
                }

                chats.Add((customer.Token, acknowledged));
            }

            for (var i = 0; i < 50; i++)
            {
                waiting.Add(await TestCustomer.QueuedAsync(client, i % 2 == 0 ? "en" : "ru"));
            }

            var places = await Task.WhenAll(waiting.Select(async c => (await c.Resume()).Place));

            await cluster.KillAllAsync();

            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync();
            }

            var frontendAgain = await cluster.StartFrontendAsync();
            var clientAgain = await cluster.ConnectClientAsync();
            for (var i = 0; i < waiting.Count; i++)
            {
                var view = await clientAgain.GetGrain<ICustomerSessionGrain>(waiting[i].SessionId).Resume(waiting[i].Secret, 0);
                Assert.Equal((SessionStatus.Queued, places[i]!.Language, places[i]!.Position), (view.Status, view.Language, view.Place!.Position));
            }

            foreach (var (token, acknowledged) in chats)
            {
                await using var customer = await CustomerClient.ConnectAsync(frontendAgain);
                var transcript = await customer.ResumeAsync(token, 0);
                foreach (var message in acknowledged)
                {
                    Assert.Contains(message, transcript.Messages);
                }
            }
        }
        catch (Exception ex)
        {
            throw new Exception($"{ex.Message}{Environment.NewLine}{cluster.Logs}", ex);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
