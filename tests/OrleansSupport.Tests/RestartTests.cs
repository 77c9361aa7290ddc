namespace OrleansSupport.Tests;

/// <summary>Everything a customer was told survives a restart of every silo on the SQLite store.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_burst_of_concurrent_arrivals_is_stored_in_order_with_no_gap()
    {
        var database = TestClusters.NewDatabasePath();
        var serviceId = $"burst-{Guid.NewGuid():N}";
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToArray();
        QueuePlace[] places;

        var before = await TestClusters.StartAsync(database, silos: 1, serviceId);
        try
        {
            var queue = before.GrainFactory.GetGrain<IQueueGrain>("en");
            places = await Task.WhenAll(ids.Select((id, i) => queue.Enqueue(id, start.AddMilliseconds(i))));
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        var after = await TestClusters.StartAsync(database, silos: 1, serviceId);
        try
        {
            var stored = await after.GrainFactory.GetGrain<IQueueGrain>("en").GetSnapshot();
            Assert.Equal(ids, stored.Order);
            Assert.Equal(ids.Length, stored.Sequence);

            // Calls may reach the queue out of order; one that arrives late but has waited longer goes
            // ahead, so a number answered earlier can only have grown since, never shrunk.
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.InRange(places[i].Position, 1, i + 1);
            }
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
        }

        TestClusters.DeleteDatabase(database); // kept when the test fails, to look into
    }

    [Fact]
    public async Task Waiting_customers_and_acknowledged_messages_survive_a_restart_of_all_silos()
    {
        var database = TestClusters.NewDatabasePath();
        var serviceId = $"restart-{Guid.NewGuid():N}";
        var waiting = new List<(TestCustomer Customer, int Position)>();
        TestCustomer chatting;
        string operatorId = $"op-{Guid.NewGuid():N}";
        ChatMessage[] acknowledged;

        var before = await TestClusters.StartAsync(database, silos: 2, serviceId);
        try
        {
            chatting = await TestCustomer.QueuedAsync(before.GrainFactory, "ru");
            for (var i = 0; i < 10; i++)
            {
                var customer = await TestCustomer.StartAsync(before.GrainFactory, i % 2 == 0 ? "en" : "ru");
                waiting.Add((customer, (await customer.RequestOperator()).Position));
            }

            var op = before.GrainFactory.GetGrain<IOperatorGrain>(operatorId);
            await op.Configure(["ru"], 1);
            Assert.Equal(chatting.SessionId, await op.AcceptNext());
            var customerSession = before.GrainFactory.GetGrain<ICustomerSessionGrain>(chatting.SessionId);
            for (var i = 0; i < waiting.Count; i++)
            {
                waiting[i] = (waiting[i].Customer, (await waiting[i].Customer.Resume()).Place!.Position);
            }

            Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], waiting.Select(w => w.Position));
            acknowledged =
            [
                await chatting.Say("my parcel never arrived"),
                await customerSession.SendOperatorMessage(operatorId, Guid.NewGuid(), "let me check"),
                await chatting.Say("thanks"),
            ];
        }
        finally
        {
            await before.StopAllSilosAsync();
            await before.DisposeAsync();
        }

        var after = await TestClusters.StartAsync(database, silos: 1, serviceId);
        try
        {
            foreach (var (customer, position) in waiting)
            {
                var view = await after.GrainFactory.GetGrain<ICustomerSessionGrain>(customer.SessionId).Resume(customer.Secret, 0);
                Assert.Equal((SessionStatus.Queued, position), (view.Status, view.Place!.Position));
            }

            var transcript = await after.GrainFactory.GetGrain<ICustomerSessionGrain>(chatting.SessionId).Resume(chatting.Secret, 0);
            Assert.Equal(SessionStatus.Chatting, transcript.Status);
            Assert.Equal(operatorId, transcript.OperatorId);
            foreach (var message in acknowledged)
            {
                Assert.Contains(message, transcript.Messages);
            }

            Assert.Equal([chatting.SessionId], (await after.GrainFactory.GetGrain<IOperatorGrain>(operatorId).GetView()).ActiveChats);
        }
        finally
        {
            await after.StopAllSilosAsync();
            await after.DisposeAsync();
            TestClusters.DeleteDatabase(database);
        }
    }
}
