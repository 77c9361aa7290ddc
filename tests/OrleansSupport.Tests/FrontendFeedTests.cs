using Microsoft.Extensions.Logging.Abstractions;
using OrleansSupport.Push;

namespace OrleansSupport.Tests;

public sealed class FrontendFeedTests
{
    [Fact]
    public async Task Batches_waiting_behind_a_slow_frontend_go_in_one_call_in_publishing_order()
    {
        var frontend = new HeldFrontend();
        var feed = new FrontendFeed(frontend, NullLogger.Instance);
        var published = Enumerable.Range(0, 200).Select(i => new OperatorEvent($"op-{i}", OperatorEventKind.ChatAssigned, Guid.NewGuid())).ToList();

        feed.Enqueue(Batch(published[0]));
        await Eventually.Async(() => Task.FromResult(frontend.Calls().Length), n => n == 1);
        foreach (var e in published.Skip(1))
        {
            feed.Enqueue(Batch(e));
        }

        frontend.Release();
        await Eventually.Async(() => Task.FromResult(frontend.Calls().Sum(c => c.OperatorEvents.Length)), n => n == published.Count);
        feed.Complete();

        Assert.Equal(2, frontend.Calls().Length);
        Assert.Equal(published, frontend.Calls().SelectMany(c => c.OperatorEvents));
    }

    [Fact]
    public void Concatenated_batches_keep_each_kind_in_publishing_order()
    {
        var first = new SessionEvent(Guid.NewGuid(), null, SessionEventKind.StatusChanged, SessionStatus.Chatting, null, MessageAuthor.Customer, false);
        var second = first with { Status = SessionStatus.Ended };
        var assigned = new OperatorEvent("op", OperatorEventKind.ChatAssigned, first.SessionId);
        var ended = assigned with { Kind = OperatorEventKind.ChatEnded };

        var one = PushBatch.Concat([new([], [first], [assigned]), new([], [second], [ended])]);

        Assert.Equal([first, second], one.SessionEvents);
        Assert.Equal([assigned, ended], one.OperatorEvents);
        Assert.Empty(one.QueueDeltas);
    }

    [Fact]
    public async Task Batches_dropped_from_a_full_line_mark_the_next_call_and_only_that_one_as_following_a_loss()
    {
        var frontend = new HeldFrontend();
        var feed = new FrontendFeed(frontend, NullLogger.Instance, maxWaitingBatches: 2, deliveryTimeout: TimeSpan.FromMinutes(1));
        var published = Enumerable.Range(0, 7).Select(i => new OperatorEvent($"op-{i}", OperatorEventKind.ChatAssigned, Guid.NewGuid())).ToList();

        feed.Enqueue(Batch(published[0]));
        await Eventually.Async(() => Task.FromResult(frontend.Calls().Length), n => n == 1);
        foreach (var e in published.Skip(1).Take(5))
        {
            feed.Enqueue(Batch(e)); // the line holds 2: the three oldest of these five are dropped
        }

        frontend.Release();
        await Eventually.Async(() => Task.FromResult(frontend.Calls().Length), n => n == 2);
        feed.Enqueue(Batch(published[6]));
        await Eventually.Async(() => Task.FromResult(frontend.Calls().Length), n => n == 3);
        feed.Complete();

        var calls = frontend.Calls();
        Assert.False(calls[0].FollowsLoss);
        Assert.True(calls[1].FollowsLoss);
        Assert.Equal(published.Skip(4).Take(2), calls[1].OperatorEvents);
        Assert.False(calls[2].FollowsLoss);
    }

    [Fact]
    public async Task A_call_that_fails_is_followed_by_one_that_says_so_even_when_nothing_else_is_published()
    {
        var frontend = new FailingOnceFrontend();
        var feed = new FrontendFeed(frontend, NullLogger.Instance);

        feed.Enqueue(Batch(new OperatorEvent("op", OperatorEventKind.ChatAssigned, Guid.NewGuid())));
        var calls = await Eventually.Async(() => Task.FromResult(frontend.Calls()), c => c.Length >= 2);
        feed.Complete();

        Assert.False(calls[0].FollowsLoss);
        Assert.True(calls[1].FollowsLoss);
        Assert.Empty(calls[1].OperatorEvents);
    }

    [Fact]
    public async Task A_call_that_times_out_is_followed_by_one_that_says_so()
    {
        var frontend = new HeldFrontend(); // never released: every call times out
        var feed = new FrontendFeed(frontend, NullLogger.Instance, maxWaitingBatches: 1_000, deliveryTimeout: TimeSpan.FromMilliseconds(100));

        feed.Enqueue(Batch(new OperatorEvent("op", OperatorEventKind.ChatAssigned, Guid.NewGuid())));
        var calls = await Eventually.Async(() => Task.FromResult(frontend.Calls()), c => c.Length >= 2);
        feed.Complete();

        Assert.False(calls[0].FollowsLoss);
        Assert.True(calls[1].FollowsLoss);
    }

    [Fact]
    public void Concatenated_batches_follow_a_loss_when_any_of_them_does()
    {
        var e = new OperatorEvent("op", OperatorEventKind.ChatAssigned, Guid.NewGuid());

        Assert.True(PushBatch.Concat([Batch(e), Batch(e) with { FollowsLoss = true }]).FollowsLoss);
        Assert.False(PushBatch.Concat([Batch(e), Batch(e)]).FollowsLoss);
    }

    private static PushBatch Batch(OperatorEvent e) => new([], [], [e]);

    /// <summary>Refuses its first call, as a frontend whose gateway connection just dropped would.</summary>
    private sealed class FailingOnceFrontend : IFrontendObserver
    {
        private readonly List<PushBatch> _calls = [];

        public PushBatch[] Calls()
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }

        public Task Deliver(PushBatch batch)
        {
            lock (_calls)
            {
                _calls.Add(batch);
                return _calls.Count == 1 ? Task.FromException(new TimeoutException("gone")) : Task.CompletedTask;
            }
        }

        public Task<Guid[]> WhichAreConnected(Guid[] sessionIds) => Task.FromResult<Guid[]>([]);
    }

    /// <summary>Holds its first call until released, as a frontend busy under load would.</summary>
    private sealed class HeldFrontend : IFrontendObserver
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly List<PushBatch> _calls = [];

        public PushBatch[] Calls()
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }

        public void Release() => _released.SetResult();

        public Task Deliver(PushBatch batch)
        {
            lock (_calls)
            {
                _calls.Add(batch);
            }

            return _released.Task;
        }

        public Task<Guid[]> WhichAreConnected(Guid[] sessionIds) => Task.FromResult<Guid[]>([]);
    }
}
