using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.Tests;

/// <summary>
/// A long queue moving on a virtual clock, watched through the frontend's real <see cref="QueueNumberBoard"/>:
/// every waiter is connected to this frontend; pushes arrive the moment they are taken, so what a test
/// checks is the rule, and the time a push travels is left to the allowance the test names. Records every
/// number each waiter was shown and, tick by tick, how far it was from the truth.
/// </summary>
public sealed class LineSimulation
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly QueueNumberBoard _board = new();
    private readonly List<int> _line;
    private readonly Guid[] _ids;
    private readonly Dictionary<Guid, int> _waiterOf;
    private readonly int?[] _shown;
    private readonly DateTimeOffset?[] _beyondSince;
    private long _sequence;

    public LineSimulation(int waiting, double secondsPerCustomer)
    {
        SecondsPerCustomer = secondsPerCustomer;
        _line = [.. Enumerable.Range(0, waiting)];
        _ids = [.. Enumerable.Range(0, waiting).Select(_ => Guid.NewGuid())];
        _waiterOf = _ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        _shown = new int?[waiting];
        _beyondSince = new DateTimeOffset?[waiting];
        Shown = [.. Enumerable.Range(0, waiting).Select(_ => new List<QueuePlace>())];
        for (var i = 0; i < waiting; i++)
        {
            // Each joined and was told their number by the queue, as RequestOperator does.
            var place = new QueuePlace("en", i + 1, waiting, ServicePace.EstimatedWaitSeconds(i + 1, secondsPerCustomer), Sequence: 0);
            _board.Watch(_ids[i], place, Now);
            Show(i, place);
        }

        Assert.Equal(["en"], _board.TakeLoadsDue(Now));
        _board.Loaded(new QueueSnapshot("en", 0, _ids, secondsPerCustomer), Now);
    }

    public DateTimeOffset Now { get; private set; } = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public double SecondsPerCustomer { get; }

    /// <summary>Every number each waiter was shown, in order (the first is the one the queue gave).</summary>
    public List<QueuePlace>[] Shown { get; }

    /// <summary>The longest time any waiter's screen stayed more than 1 % (at least 1) from the truth.</summary>
    public TimeSpan LongestBeyondTolerance { get; private set; }

    public int Pushes { get; private set; }

    public int Waiting => _line.Count;

    /// <summary>How many waiters' screens do not show their true number now.</summary>
    public int NotOnTheirTrueNumber() => _line.Where((waiter, i) => _shown[waiter] != i + 1).Count();

    /// <summary>Removes the waiter at <paramref name="index"/>, as the queue's delta says.</summary>
    public void Remove(int index)
    {
        var waiter = _line[index];
        _line.RemoveAt(index);
        _board.Apply(new QueueDelta("en", ++_sequence, QueueChangeKind.Removed, _ids[waiter], index, SecondsPerCustomer, Now));
        _board.Forget(_ids[waiter], Now); // the session's own event tells the served or gone customer
        _shown[waiter] = null;
        _beyondSince[waiter] = null;
    }

    /// <summary>Runs the clock for <paramref name="span"/>, removing <paramref name="perSecond"/> customers a second from the head.</summary>
    public void Run(TimeSpan span, double perSecond, Action<LineSimulation>? eachTick = null)
    {
        var owed = 0.0;
        for (var t = TimeSpan.Zero; t < span; t += Tick)
        {
            Now += Tick;
            for (owed += perSecond * Tick.TotalSeconds; owed >= 1 && _line.Count > 0; owed--)
            {
                Remove(0);
            }

            eachTick?.Invoke(this);
            foreach (var push in _board.TakeDue(Now, int.MaxValue))
            {
                Pushes++;
                Show(_waiterOf[push.SessionId], push.Place);
                _board.Sent(push.SessionId, Now);
            }

            MeasureDistance();
        }
    }

    private void Show(int waiter, QueuePlace place)
    {
        _shown[waiter] = place.Position;
        Shown[waiter].Add(place);
    }

    private void MeasureDistance()
    {
        for (var i = 0; i < _line.Count; i++)
        {
            var waiter = _line[i];
            var shown = _shown[waiter]!.Value;
            if (Math.Abs(shown - (i + 1)) <= NumberBudget.Tolerance(shown))
            {
                _beyondSince[waiter] = null;
                continue;
            }

            _beyondSince[waiter] ??= Now;
            var beyond = Now - _beyondSince[waiter]!.Value;
            if (beyond > LongestBeyondTolerance)
            {
                LongestBeyondTolerance = beyond;
            }
        }
    }
}
