using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.Tests;

/// <summary>The frontend's queue-number state, driven directly with its own clock.</summary>
public sealed class QueueNumberBoardTests
{
    private readonly QueueNumberBoard _board = new();
    private DateTimeOffset _now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_copy_older_than_the_number_the_queue_gave_pushes_nothing_until_it_catches_up()
    {
        // Ten wait; the copy is read at change 10, and the last of them is told number 10 as of change 12
        // (two leaves ahead of them whose deltas are still on their way).
        var ids = Ids(10);
        var customer = ids[^1];
        _board.Watch(customer, new QueuePlace("en", 8, 8, null, Sequence: 12), _now);
        LoadCopy(ids, sequence: 10);
        _now += TimeSpan.FromSeconds(3);

        // The copy still says 10: pushing it would show the customer a number going up.
        Assert.DoesNotContain(_board.TakeDue(_now, int.MaxValue), p => p.SessionId == customer);

        _board.Apply(new QueueDelta("en", 11, QueueChangeKind.Removed, ids[0], 0, null, _now));
        _board.Apply(new QueueDelta("en", 12, QueueChangeKind.Removed, ids[1], 0, null, _now));
        _board.Apply(new QueueDelta("en", 13, QueueChangeKind.Removed, ids[2], 0, null, _now));
        Assert.Equal(7, Assert.Single(_board.TakeDue(_now, int.MaxValue), p => p.SessionId == customer).Place.Position);
    }

    [Fact]
    public void Under_a_limit_the_most_overdue_numbers_go_first_and_the_rest_stay_due()
    {
        // A hundred wait; the 41st to 60th are connected here (beyond the front: each step is 1 % or more).
        var ids = Ids(100);
        var here = ids[40..60];
        foreach (var (id, i) in here.Select((id, i) => (id, i)))
        {
            _board.Watch(id, new QueuePlace("en", 41 + i, 100, null, Sequence: 0), _now);
        }

        LoadCopy(ids, sequence: 0);

        // The 46th leaves: those behind them are one off from now. A second later the head is served:
        // those behind the 46th are two off, the others one.
        _now += TimeSpan.FromSeconds(1);
        _board.Apply(new QueueDelta("en", 1, QueueChangeKind.Removed, ids[45], 45, null, _now));
        Assert.Empty(_board.TakeDue(_now, int.MaxValue));
        _now += TimeSpan.FromSeconds(1);
        _board.Apply(new QueueDelta("en", 2, QueueChangeKind.Removed, ids[0], 0, null, _now));
        Assert.Empty(_board.TakeDue(_now, int.MaxValue));
        _now += TimeSpan.FromSeconds(2);

        var first = _board.TakeDue(_now, 5);
        var rest = _board.TakeDue(_now, int.MaxValue);

        var behind = ids[46..60].ToHashSet();
        Assert.Equal(5, first.Count);
        Assert.All(first, p => Assert.Contains(p.SessionId, behind));
        Assert.Equal(here.Length - 1 - 5, rest.Count); // everyone else, the 46th having left
        Assert.Equal(ids[46..60].Except(first.Select(p => p.SessionId)).Order(), rest.Take(9).Select(p => p.SessionId).Order());
    }

    [Fact]
    public void A_waiter_missing_from_a_current_copy_is_forgotten()
    {
        var ids = Ids(3);
        var gone = Guid.NewGuid(); // served meanwhile, and the session's own event lost
        _board.Watch(ids[0], new QueuePlace("en", 1, 3, null, Sequence: 0), _now);
        _board.Watch(gone, new QueuePlace("en", 2, 3, null, Sequence: 0), _now);
        LoadCopy(ids, sequence: 0);
        Assert.Equal(2, _board.WaiterCount);

        for (var i = 0; i < 240; i++)
        {
            _now += TimeSpan.FromMilliseconds(50);
            _board.TakeDue(_now, int.MaxValue);
            _board.ForgetMissing(_now);
        }

        Assert.Equal(1, _board.WaiterCount); // the one in the line stays
    }

    private static Guid[] Ids(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];

    /// <summary>Gives the board, whose waiters wait in English, a current copy of that line holding <paramref name="ids"/>.</summary>
    private void LoadCopy(Guid[] ids, long sequence)
    {
        Assert.Equal(["en"], _board.TakeLoadsDue(_now));
        _board.Loaded(new QueueSnapshot("en", sequence, ids, null), _now);
    }
}
