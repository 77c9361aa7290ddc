namespace OrleansSupport.Tests;

/// <summary>The in-memory line against a plain list kept by the same rules, and the changes it hands to storage.</summary>
public sealed class WaitingLineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public void Positions_match_a_plain_list_after_many_random_inserts_and_removals()
    {
        var random = new Random(15);
        var line = new WaitingLine([]);
        var model = new List<(Guid SessionId, DateTimeOffset WaitingSince)>();
        for (var step = 0; step < 5_000; step++)
        {
            var roll = random.Next(10);
            if (roll < 5 || model.Count == 0)
            {
                // Few distinct times, so equal waiting times are common and arrival order decides.
                var customer = (Guid.NewGuid(), Start.AddSeconds(random.Next(40)));
                var expected = model.FindLastIndex(c => c.WaitingSince <= customer.Item2) + 1;
                model.Insert(expected, customer);
                Assert.Equal(expected, line.Insert(customer.Item1, customer.Item2));
            }
            else if (roll < 6)
            {
                // ReturnToHead's rule: just before the current head.
                var customer = (Guid.NewGuid(), model[0].WaitingSince.AddTicks(-1));
                model.Insert(0, customer);
                Assert.Equal(0, line.Insert(customer.Item1, customer.Item2));
            }
            else
            {
                var index = roll < 8 ? 0 : random.Next(model.Count);
                var removed = line.RemoveAt(index);
                Assert.Equal(model[index], (removed.SessionId, removed.WaitingSince));
                model.RemoveAt(index);
            }

            if (step % 250 == 0)
            {
                AssertSame(model, line);
            }
        }

        AssertSame(model, line);
        Assert.Equal(-1, line.IndexOf(Guid.NewGuid()));
    }

    [Fact]
    public void A_line_rebuilt_from_its_stored_entries_keeps_its_order_and_later_arrivals_go_behind_equal_times()
    {
        var line = new WaitingLine([]);
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            line.Insert(id, Start); // all equal: arrival order
        }

        line.RemoveAt(2);
        var stored = line.Order.Reverse().ToList(); // the order of rows must not matter

        var rebuilt = new WaitingLine(stored);
        var late = Guid.NewGuid();

        Assert.Equal(line.Order.Select(e => e.SessionId), rebuilt.Order.Select(e => e.SessionId));
        Assert.Equal(5, rebuilt.Insert(late, Start));
        Assert.Equal([ids[0], ids[1], ids[3], ids[4], ids[5], late], rebuilt.Order.Select(e => e.SessionId));
    }

    [Fact]
    public void Changes_between_two_writes_are_netted()
    {
        var stayed = Guid.NewGuid();
        var left = Guid.NewGuid();
        var returned = Guid.NewGuid();
        var line = new WaitingLine([new(stayed, Start, 1), new(returned, Start.AddSeconds(1), 2), new(left, Start.AddSeconds(2), 3)]);
        var passing = Guid.NewGuid();
        var joined = Guid.NewGuid();

        line.Insert(passing, Start.AddSeconds(5));
        line.RemoveAt(line.IndexOf(passing)); // joined and left before the write: nothing to store
        line.RemoveAt(line.IndexOf(left));
        var taken = line.RemoveAt(line.IndexOf(returned));
        line.Insert(returned, taken.WaitingSince); // back in their place, as a new arrival
        line.Insert(joined, Start.AddSeconds(9));
        var (added, removed) = line.TakeChanges();

        Assert.Equal(
            [(left, Start.AddSeconds(2), 3L), (returned, Start.AddSeconds(1), 2L)],
            removed.OrderByDescending(e => e.Arrival).Select(e => (e.SessionId, e.WaitingSince, e.Arrival)));
        Assert.Equal(
            [(returned, Start.AddSeconds(1), 5L), (joined, Start.AddSeconds(9), 6L)],
            added.OrderBy(e => e.Arrival).Select(e => (e.SessionId, e.WaitingSince, e.Arrival)));
        var again = line.TakeChanges();
        Assert.Empty(again.Added);
        Assert.Empty(again.Removed);
        Assert.Equal([stayed, returned, joined], line.Order.Select(e => e.SessionId));
    }

    [Fact]
    public void A_snapshot_of_the_order_stays_as_it_was()
    {
        var line = new WaitingLine([]);
        var first = Guid.NewGuid();
        line.Insert(first, Start);
        var snapshot = line.Order;

        line.Insert(Guid.NewGuid(), Start.AddSeconds(-1));
        line.RemoveAt(line.IndexOf(first));

        Assert.Equal([first], snapshot.Select(e => e.SessionId));
    }

    private static void AssertSame(List<(Guid SessionId, DateTimeOffset WaitingSince)> model, WaitingLine line)
    {
        Assert.Equal(model.Count, line.Count);
        Assert.Equal(model, line.Order.Select(e => (e.SessionId, e.WaitingSince)));
        for (var i = 0; i < model.Count; i++)
        {
            Assert.Equal(i, line.IndexOf(model[i].SessionId));
            Assert.Equal(model[i].SessionId, line[i].SessionId);
        }
    }
}
