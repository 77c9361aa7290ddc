namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// Everything this frontend knows about queue numbers: a copy of each queue in which one of its customers
/// waits, those customers, and the number each was last shown. It decides which numbers fall due for a
/// refresh (<see cref="NumberBudget"/>) and which copies need a snapshot. No I/O and no locks: its one owner,
/// <see cref="QueueNumbers"/>, calls it from one loop and does the sending and loading; tests drive it
/// with their own clock.
/// </summary>
public sealed class QueueNumberBoard
{
    /// <summary>
    /// A copy is read again this often even without a gap: a lost last delta leaves none to see. Each read
    /// also keeps this frontend among those the queue sends its changes to (QueueGrain.CopyExpiry, 45 s), so
    /// a copy that went unused for longer is read again as soon as someone waits in it.
    /// </summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(15);

    /// <summary>A copy that failed to load, or showed a gap, is asked for again at most this often.</summary>
    private static readonly TimeSpan RetryLoad = TimeSpan.FromSeconds(1);

    /// <summary>A copy nobody here waits in any more is kept this long, in case someone joins again.</summary>
    private static readonly TimeSpan KeepUnused = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A customer missing from a current copy for this long is no longer waiting here (served, left or
    /// moved while the session's own event was on its way), and is forgotten.
    /// </summary>
    private static readonly TimeSpan Missing = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The number a customer was given by the queue (joining, resuming) may be newer than this copy; no
    /// older number is pushed over it until the copy has caught up, or for this long at most.
    /// </summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Beyond the first <see cref="NumberBudget.FrontOfLine"/>, a line is gone through this often, not on
    /// every call: the walk looks up every waiter of the line, and those further back are only due after
    /// <see cref="NumberBudget.DriftHold"/>, which leaves room for it.
    /// </summary>
    public static readonly TimeSpan WalkWholeLine = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Waiter> _waiters = [];

    /// <summary>The last call left numbers due (over its limit): the next goes through whole lines again.</summary>
    private bool _leftDue;

    private sealed class Line
    {
        public QueueReplica Replica { get; } = new();

        public int Waiters { get; set; }

        public DateTimeOffset LastUsed { get; set; }

        public DateTimeOffset LoadedAt { get; set; }

        /// <summary>When <see cref="TakeDue"/> last went through the whole current copy, marking whom it found.</summary>
        public DateTimeOffset WalkedAt { get; set; }
    }

    private sealed class Waiter(string language)
    {
        public string Language { get; set; } = language;
        public int Shown { get; set; }
        public long ShownSequence { get; set; }
        public DateTimeOffset ShownAt { get; set; }
        public DateTimeOffset SeenAt { get; set; }
        public DateTimeOffset? UnequalSince { get; set; }
        public DateTimeOffset? DriftSince { get; set; }
        public bool Sending { get; set; }

        /// <summary>Told that their queue closed, so they are told once, not on every check.</summary>
        public bool ToldClosed { get; set; }
    }

    public int WaiterCount => _waiters.Count;

    /// <summary>The languages in which someone here waits.</summary>
    public IEnumerable<string> WaitingLanguages => _lines.Where(l => l.Value.Waiters > 0).Select(l => l.Key);

    /// <summary>A customer connected here waits and was just shown <paramref name="place"/> by the queue.</summary>
    public void Watch(Guid sessionId, QueuePlace place, DateTimeOffset now)
    {
        if (!_waiters.TryGetValue(sessionId, out var waiter))
        {
            _waiters[sessionId] = waiter = new Waiter(place.Language);
            LineOf(place.Language, now).Waiters++;
        }
        else if (waiter.Language != place.Language)
        {
            LineOf(waiter.Language, now).Waiters--;
            LineOf(place.Language, now).Waiters++;
            waiter.Language = place.Language;
            waiter.ToldClosed = false;
        }

        waiter.Shown = place.Position;
        waiter.ShownSequence = place.Sequence ?? 0;
        waiter.ShownAt = now;
        waiter.SeenAt = now;
        waiter.UnequalSince = null;
        waiter.DriftSince = null;
    }

    /// <summary>The customer no longer waits here: served, gone, or their last connection here closed.</summary>
    public void Forget(Guid sessionId, DateTimeOffset now)
    {
        if (_waiters.Remove(sessionId, out var waiter))
        {
            LineOf(waiter.Language, now).Waiters--;
        }
    }

    public void Apply(QueueDelta delta)
    {
        if (_lines.TryGetValue(delta.Language, out var line))
        {
            line.Replica.Apply(delta); // nobody here waits in a queue without a copy: nothing to keep
        }
    }

    /// <summary>
    /// The queues whose copy must be read now (missing, stale, or due for a resync), each marked as
    /// loading; copies nobody uses any more are dropped.
    /// </summary>
    public List<string> TakeLoadsDue(DateTimeOffset now)
    {
        var due = new List<string>();
        foreach (var (language, line) in _lines.ToList())
        {
            var replica = line.Replica;
            if (line.Waiters > 0)
            {
                line.LastUsed = now;
            }
            else if (now - line.LastUsed > KeepUnused)
            {
                _lines.Remove(language);
                continue;
            }

            var wanted = replica.IsCurrent ? now - line.LoadedAt >= Resync : now - replica.LoadStartedAt >= RetryLoad;
            if (wanted && !replica.IsLoading && line.Waiters > 0)
            {
                replica.StartLoading(now);
                due.Add(language);
            }
        }

        return due;
    }

    public void Loaded(QueueSnapshot snapshot, DateTimeOffset now)
    {
        if (_lines.TryGetValue(snapshot.Language, out var line))
        {
            line.Replica.Load(snapshot, now);
            line.LoadedAt = now;
        }
    }

    public void LoadFailed(string language)
    {
        if (_lines.TryGetValue(language, out var line))
        {
            line.Replica.LoadFailed();
        }
    }

    /// <summary>
    /// The numbers that fall due for a refresh now, most overdue first, at most <paramref name="limit"/>;
    /// each is recorded as shown and its customer as being sent to until <see cref="Sent"/>. The rest stay
    /// due for a later call.
    /// </summary>
    public List<NumberPush> TakeDue(DateTimeOffset now, int limit)
    {
        var due = new List<(Guid SessionId, Waiter Waiter, int Position, Line Line, DateTimeOffset DueAt)>();
        foreach (var (language, line) in _lines)
        {
            if (line.Waiters == 0 || !line.Replica.IsCurrent)
            {
                continue;
            }

            var order = line.Replica.Order;
            var walked = order.Count;
            if (_leftDue || now - line.WalkedAt >= WalkWholeLine)
            {
                line.WalkedAt = now;
            }
            else
            {
                walked = Math.Min(order.Count, NumberBudget.FrontOfLine);
            }

            for (var i = 0; i < walked; i++)
            {
                if (_waiters.TryGetValue(order[i], out var waiter) && waiter.Language == language
                    && Observe(waiter, i + 1, line.Replica, now) is { } dueAt)
                {
                    due.Add((order[i], waiter, i + 1, line, dueAt));
                }
            }
        }

        _leftDue = due.Count > limit;
        due.Sort((a, b) => a.DueAt.CompareTo(b.DueAt));
        var pushes = new List<NumberPush>(Math.Min(limit, due.Count));
        foreach (var (sessionId, waiter, position, line, _) in due.Take(limit))
        {
            var replica = line.Replica;
            waiter.Shown = position;
            waiter.ShownSequence = replica.Sequence;
            waiter.ShownAt = now;
            waiter.UnequalSince = null;
            waiter.DriftSince = null;
            waiter.Sending = true;
            var estimate = ServicePace.EstimatedWaitSeconds(position, replica.SecondsPerCustomer);
            pushes.Add(new NumberPush(sessionId, new QueuePlace(
                waiter.Language, position, replica.Order.Count, estimate, replica.ChangedAt, PushedAt: now, replica.Sequence)));
        }

        return pushes;
    }

    /// <summary>
    /// The push has left this frontend. The interval counts from here, not from when it was taken: a round
    /// to thousands of customers takes a while, and counted from its start, a late push and the next early
    /// one could arrive less than a second apart.
    /// </summary>
    public void Sent(Guid sessionId, DateTimeOffset at)
    {
        if (_waiters.TryGetValue(sessionId, out var waiter))
        {
            waiter.Sending = false;
            if (at > waiter.ShownAt)
            {
                waiter.ShownAt = at;
            }
        }
    }

    /// <summary>
    /// The waiters of a queue to tell that it has closed (each once, until it opens and closes again); when
    /// <paramref name="open"/>, none, and they may be told again later.
    /// </summary>
    public List<Guid> TakeClosedNotices(string language, bool open)
    {
        var notices = new List<Guid>();
        foreach (var (sessionId, waiter) in _waiters)
        {
            if (waiter.Language != language || waiter.ToldClosed == !open)
            {
                continue;
            }

            waiter.ToldClosed = !open;
            if (!open)
            {
                notices.Add(sessionId);
            }
        }

        return notices;
    }

    /// <summary>
    /// Notes that the waiter was found at <paramref name="position"/>, and since when their shown number
    /// differs or is beyond its tolerance; returns when it fell due for a refresh, null while not due.
    /// </summary>
    private static DateTimeOffset? Observe(Waiter waiter, int position, QueueReplica replica, DateTimeOffset now)
    {
        waiter.SeenAt = now;
        if (position == waiter.Shown)
        {
            waiter.UnequalSince = null;
            waiter.DriftSince = null;
            return null;
        }

        if (replica.Sequence < waiter.ShownSequence && now - waiter.ShownAt < CatchUp)
        {
            return null; // the copy is older than what the customer was told
        }

        waiter.UnequalSince ??= now;
        waiter.DriftSince = Math.Abs(position - waiter.Shown) > NumberBudget.Tolerance(waiter.Shown) ? waiter.DriftSince ?? now : null;
        if (waiter.Sending || now - waiter.ShownAt < NumberBudget.MinInterval)
        {
            return null;
        }

        var dueAt = NumberBudget.DueAt(position, waiter.UnequalSince.Value, waiter.DriftSince);
        return dueAt <= now ? dueAt : null;
    }

    /// <summary>Forgets the customers missing from a current copy for a while: they no longer wait.</summary>
    public void ForgetMissing(DateTimeOffset now)
    {
        var missing = new List<Guid>();
        foreach (var (sessionId, waiter) in _waiters)
        {
            var line = _lines[waiter.Language];
            if (line.Replica.IsCurrent && line.Replica.Sequence >= waiter.ShownSequence && line.WalkedAt - waiter.SeenAt > Missing)
            {
                missing.Add(sessionId);
            }
        }

        missing.ForEach(sessionId => Forget(sessionId, now));
    }

    private Line LineOf(string language, DateTimeOffset now)
    {
        if (!_lines.TryGetValue(language, out var line))
        {
            _lines[language] = line = new Line { LastUsed = now };
        }

        return line;
    }
}

/// <summary>A refreshed number for one waiting customer.</summary>
public readonly record struct NumberPush(Guid SessionId, QueuePlace Place);
