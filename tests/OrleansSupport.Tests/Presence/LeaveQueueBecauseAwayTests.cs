namespace OrleansSupport.Tests.Presence;

/// <summary>A waiting customer the queue found gone past the grace leaves the line, and is told.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaveQueueBecauseAwayTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_customer_away_past_the_grace_leaves_the_queue_is_told_and_can_rejoin_at_the_back()
    {
        await QueueOrderTests.DrainAsync(Grains.GetGrain<IQueueGrain>("en"));
        var gone = await TestCustomer.QueuedAsync(Grains);
        var behind = await TestCustomer.QueuedAsync(Grains);
        var awaySince = DateTimeOffset.UtcNow;

        gone.Grain.LeaveQueueBecauseAway("en", awaySince).Ignore();

        var queue = Grains.GetGrain<IQueueGrain>("en");
        await Eventually.Async(() => queue.GetPlace(gone.SessionId), p => p is null);
        var back = await gone.Resume();
        Assert.Equal(SessionStatus.Browsing, back.Status);
        Assert.Null(back.Place);
        Assert.Equal("left-queue-away", back.Messages[^1].Code);

        // They may join again, behind everyone who waited meanwhile.
        var place = await gone.RequestOperator();
        var ahead = await queue.GetPlace(behind.SessionId);
        Assert.True(place.Position > ahead!.Position);
        Assert.Equal(place.Waiting, place.Position);
    }

    [Fact]
    public async Task A_customer_who_called_since_they_were_found_away_keeps_their_place()
    {
        var customer = await TestCustomer.QueuedAsync(Grains);
        var awaySince = DateTimeOffset.UtcNow;
        var before = await customer.Resume(); // the customer calls after that moment

        customer.Grain.LeaveQueueBecauseAway("en", awaySince).Ignore();

        // A later call from the same caller is handled after the one-way request.
        var after = await customer.Resume();
        Assert.Equal(SessionStatus.Queued, after.Status);
        Assert.Equal(before.LastSequence, after.LastSequence);
        Assert.NotNull(await Grains.GetGrain<IQueueGrain>("en").GetPlace(customer.SessionId));
    }

    [Fact]
    public async Task A_line_entry_whose_session_is_not_waiting_there_is_removed_without_a_word_to_the_customer()
    {
        var browsing = await TestCustomer.StartAsync(Grains);
        var queue = Grains.GetGrain<IQueueGrain>("en");
        await queue.Enqueue(browsing.SessionId, DateTimeOffset.UtcNow); // left over, as after a failed step

        browsing.Grain.LeaveQueueBecauseAway("en", DateTimeOffset.UtcNow).Ignore();

        await Eventually.Async(() => queue.GetPlace(browsing.SessionId), p => p is null);
        var view = await browsing.Resume();
        Assert.Equal(SessionStatus.Browsing, view.Status);
        Assert.Empty(view.Messages);
    }
}
