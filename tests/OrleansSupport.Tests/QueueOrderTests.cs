namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class QueueOrderTests(ClusterFixture fixture)
{

    [Fact]
    public async Task Customers_are_served_first_come_first_served()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await DrainAsync(queue);
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var place = await queue.Enqueue(ids[i], start.AddMilliseconds(i));
            Assert.Equal(i + 1, place.Position);
        }

        var served = new List<Guid>();
        while (await queue.DequeueNext() is { } next)
        {
            served.Add(next.SessionId);
        }

        Assert.Equal(ids, served);
    }

    [Fact]
    public async Task Positions_close_up_after_a_leave_and_a_dequeue()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await DrainAsync(queue);
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            await queue.Enqueue(ids[i], start.AddMilliseconds(i));
        }

        Assert.True(await queue.Leave(ids[2]));
        Assert.Equal(ids[0], (await queue.DequeueNext())!.SessionId);

        Assert.Null(await queue.GetPlace(ids[0]));
        Assert.Null(await queue.GetPlace(ids[2]));
        Assert.Equal(1, (await queue.GetPlace(ids[1]))!.Position);
        Assert.Equal(2, (await queue.GetPlace(ids[3]))!.Position);
        Assert.Equal(3, (await queue.GetPlace(ids[4]))!.Position);
        var last = (await queue.GetPlace(ids[5]))!;
        Assert.Equal((4, 4), (last.Position, last.Waiting));
        Assert.Equal([ids[1], ids[3], ids[4], ids[5]], (await queue.GetSnapshot()).Order);
    }

    [Fact]
    public async Task Enqueueing_twice_keeps_the_first_place_and_leaving_twice_is_harmless()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await DrainAsync(queue);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        await queue.Enqueue(a, start);
        await queue.Enqueue(b, start.AddSeconds(1));

        var again = await queue.Enqueue(a, start.AddSeconds(5));

        Assert.Equal((1, 2), (again.Position, again.Waiting));
        Assert.True(await queue.Leave(a));
        Assert.False(await queue.Leave(a));
        Assert.Equal(1, (await queue.GetPlace(b))!.Position);
    }

    [Fact]
    public async Task A_returned_customer_gets_their_old_place_back_by_waiting_time()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await DrainAsync(queue);
        var start = DateTimeOffset.UtcNow;
        var first = new QueuedCustomer(Guid.NewGuid(), start);
        var second = Guid.NewGuid();
        await queue.Enqueue(first.SessionId, first.WaitingSince);
        await queue.Enqueue(second, start.AddSeconds(1));
        var taken = await queue.DequeueNext();

        await queue.Return(taken!);

        Assert.Equal(1, (await queue.GetPlace(first.SessionId))!.Position);
        Assert.Equal(2, (await queue.GetPlace(second))!.Position);
    }

    [Fact]
    public async Task Sessions_queue_in_the_order_they_ask_for_an_operator()
    {
        await DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customers = new List<TestCustomer>();
        for (var i = 0; i < 4; i++)
        {
            var customer = await TestCustomer.StartAsync(fixture.Grains);
            var place = await customer.RequestOperator();
            Assert.Equal(i + 1, place.Position);
            customers.Add(customer);
        }

        await customers[1].Grain.EndByCustomer(customers[1].Secret);

        Assert.Equal(2, (await customers[2].Resume()).Place!.Position);
        Assert.Equal(3, (await customers[3].Resume()).Place!.Position);
        await DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
    }

    [Fact]
    public async Task A_place_carries_the_sequence_number_of_the_line_it_was_counted_in()
    {
        var queue = fixture.Grains.GetGrain<IQueueGrain>("ru");
        await DrainAsync(queue);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var start = DateTimeOffset.UtcNow;

        var joined = await queue.Enqueue(first, start);
        await queue.Enqueue(second, start.AddSeconds(1));
        var snapshot = await queue.GetSnapshot();
        var later = await queue.GetPlace(first);

        Assert.Equal(snapshot.Sequence - 1, joined.Sequence);
        Assert.Equal(snapshot.Sequence, later!.Sequence);
        await DrainAsync(queue);
    }

    internal static async Task DrainAsync(IQueueGrain queue)
    {
        while (await queue.DequeueNext() is not null)
        {
        }
    }
}
