namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// This frontend's copy of one queue's order, kept current by the queue's numbered deltas, so that the
/// frontend works out its own customers' numbers: a change costs the queue one message per frontend, not
/// one per waiting customer. A skipped sequence number means a delta was missed: the copy is then stale
/// until a snapshot replaces it. Owned by <see cref="QueueNumberBoard"/>; not thread-safe.
/// </summary>
public sealed class QueueReplica
{
    private readonly List<QueueDelta> _arrivedWhileLoading = [];

    public List<Guid> Order { get; private set; } = [];

    public long Sequence { get; private set; }

    public double? SecondsPerCustomer { get; private set; }

    /// <summary>When the latest change in the copy was stored by the queue (real time).</summary>
    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>Holds a snapshot and every delta since, without a gap.</summary>
    public bool IsCurrent { get; private set; }

    /// <summary>A snapshot has been asked for and not answered yet.</summary>
    public bool IsLoading { get; private set; }

    public DateTimeOffset LoadStartedAt { get; private set; }

    /// <summary>Marks the copy as asking for a snapshot; deltas arriving meanwhile are kept for after it.</summary>
    public void StartLoading(DateTimeOffset now)
    {
        IsLoading = true;
        LoadStartedAt = now;
    }

    public void LoadFailed() => IsLoading = false;

    public void Apply(QueueDelta delta)
    {
        if (IsLoading)
        {
            _arrivedWhileLoading.Add(delta);
        }
        else if (IsCurrent)
        {
            IsCurrent = ApplyInOrder(delta);
        }
    }

    /// <summary>Replaces the copy with the queue's order, then replays what arrived meanwhile.</summary>
    public void Load(QueueSnapshot snapshot, DateTimeOffset now)
    {
        Order = [.. snapshot.Order];
        Sequence = snapshot.Sequence;
        SecondsPerCustomer = snapshot.SecondsPerCustomer;
        ChangedAt = now; // the snapshot holds as of now
        IsLoading = false;
        IsCurrent = true;
        foreach (var delta in _arrivedWhileLoading.OrderBy(d => d.Sequence))
        {
            IsCurrent = IsCurrent && ApplyInOrder(delta);
        }

        _arrivedWhileLoading.Clear();
    }

    /// <summary>Applies the delta if it is the next one; false when one was missed.</summary>
    private bool ApplyInOrder(QueueDelta delta)
    {
        if (delta.Sequence <= Sequence)
        {
            return true; // already in the copy
        }

        if (delta.Sequence != Sequence + 1)
        {
            return false;
        }

        switch (delta.Kind)
        {
            case QueueChangeKind.Inserted:
                Order.Insert(Math.Clamp(delta.Index, 0, Order.Count), delta.SessionId);
                break;
            case QueueChangeKind.Removed when delta.Index < Order.Count && Order[delta.Index] == delta.SessionId:
                Order.RemoveAt(delta.Index);
                break;
            case QueueChangeKind.Removed:
                Order.Remove(delta.SessionId);
                break;
        }

        Sequence = delta.Sequence;
        SecondsPerCustomer = delta.SecondsPerCustomer;
        ChangedAt = delta.ChangedAt;
        return true;
    }
}
