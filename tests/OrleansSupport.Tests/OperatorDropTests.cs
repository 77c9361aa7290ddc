namespace OrleansSupport.Tests;

/// <summary>An operator whose console goes silent: their customers go back to the head of the queue.</summary>
public sealed class OperatorDropTests
{
    [Fact]
    public async Task A_silent_operator_returns_their_chats_to_the_head_of_the_queue_and_the_customers_are_told()
    {
        var database = TestClusters.NewDatabasePath();
        var cluster = await TestClusters.StartAsync(database, silos: 1, operatorGraceSeconds: 3);
        try
        {
            var grains = cluster.GrainFactory;
            var served = await TestCustomer.QueuedAsync(grains);
            var op = grains.GetGrain<IOperatorGrain>("drops-out");
            await op.Configure(["en"], 1);
            await op.SetAvailable(true);
            await Eventually.Async(() => served.Resume(), v => v.Status == SessionStatus.Chatting);
            await served.Say("are you there?");
            var later = await TestCustomer.QueuedAsync(grains); // waiting while the operator still works

            // A console that keeps beating keeps its chats...
            for (var i = 0; i < 4; i++)
            {
                await op.Heartbeat();
                await Task.Delay(1000);
            }

            Assert.Equal(SessionStatus.Chatting, (await served.Resume()).Status);

            // ...one that goes silent loses them: the customer is first in line again, and told why.
            var back = await Eventually.Async(() => served.Resume(), v => v.Status == SessionStatus.Queued, timeoutSeconds: 20);
            Assert.Equal(1, back.Place!.Position);
            Assert.Null(back.OperatorId);
            Assert.Equal("operator-left", back.Messages[^1].Code);
            Assert.Contains(back.Messages, m => m.Text == "are you there?");
            Assert.Equal(2, (await later.Resume()).Place!.Position);
            var view = await op.GetView();
            Assert.Empty(view.ActiveChats);
            Assert.False(view.Available);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            TestClusters.DeleteDatabase(database);
        }
    }
}
