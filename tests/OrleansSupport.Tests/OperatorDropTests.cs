using Microsoft.Data.Sqlite;

namespace OrleansSupport.Tests;

/// <summary>An operator whose console goes silent: their customers go back to the head of the queue.</summary>
public sealed class OperatorDropTests
{
    [Fact]
    public async Task A_silent_operator_returns_their_chats_to_the_head_of_the_queue_and_the_customers_are_told()
    {
        await using var own = await OwnCluster.StartAsync(operatorGraceSeconds: 3);
        var grains = own.Cluster.GrainFactory;
        var (served, op) = await ChattingWithOperatorAsync(grains, "drops-out");
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

    [Fact]
    public async Task A_customer_ending_the_chat_while_the_silent_operators_chats_are_being_returned_is_not_stuck()
    {
        await using var own = await OwnCluster.StartAsync(operatorGraceSeconds: 3);
        var grains = own.Cluster.GrainFactory;
        var (customer, op) = await ChattingWithOperatorAsync(grains, "goes-quiet");
        await op.Heartbeat();

        // Hold the database's write lock, so the customer's "end" stays inside the session grain while
        // the operator's grace period passes and its timer starts returning the chat to the queue: that
        // return waits for the session. A session that then waited for its operator would never finish.
        await using (var writeLock = new SqliteConnection($"Data Source={own.Database}"))
        {
            await writeLock.OpenAsync();
            await Exec(writeLock, "BEGIN IMMEDIATE");
            var ending = customer.Grain.EndByCustomer(customer.Secret);
            await Task.Delay(TimeSpan.FromSeconds(8)); // grace 3 s + the operator's 2 s timer, with room
            Assert.False(ending.IsCompleted);
            await Exec(writeLock, "ROLLBACK");

            // Orleans gives up on a call after 30 s; a cycle would end this call with a timeout.
            await ending.WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(SessionStatus.Ended, (await customer.Resume()).Status);
        var view = await Eventually.Async(() => op.GetView(), v => v.ActiveChats.Length == 0);
        Assert.False(view.Available);
    }

    /// <summary>A customer in a chat with an available operator of capacity 1, who serves English.</summary>
    private static async Task<(TestCustomer Customer, IOperatorGrain Operator)> ChattingWithOperatorAsync(IGrainFactory grains, string operatorId)
    {
        var customer = await TestCustomer.QueuedAsync(grains);
        var op = grains.GetGrain<IOperatorGrain>(operatorId);
        await op.Configure(["en"], 1);
        await op.SetAvailable(true);
        await Eventually.Async(() => customer.Resume(), v => v.Status == SessionStatus.Chatting);
        return (customer, op);
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
