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

    private static PushBatch Batch(OperatorEvent e) => new([], [], [e]);

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
