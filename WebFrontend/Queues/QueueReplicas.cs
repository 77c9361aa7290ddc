using System.Collections.Concurrent;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// This frontend's copy of the order of each queue, kept current by the queues' numbered deltas. From it
/// the frontend computes its own customers' numbers, so a queue sends one message per change to each
/// frontend instead of one per waiting customer. A missed delta shows as a gap in the numbers; the copy
/// is then reloaded from the queue.
/// </summary>
public sealed partial class QueueReplicas(IGrainFactory grains, ILogger<QueueReplicas> logger)
{
    private readonly ConcurrentDictionary<string, Replica> _replicas = new(StringComparer.Ordinal);

    private sealed class Replica
    {
        public long Sequence;
        public List<Guid> Order = [];
        public double? SecondsPerCustomer;
        public DateTimeOffset ChangedAt;
        public bool Loaded;
        public bool Loading;
        public bool Changed = true;
        public readonly List<QueueDelta> ArrivedWhileLoading = [];
    }

    public void Apply(QueueDelta delta)
    {
        if (!_replicas.TryGetValue(delta.Language, out var replica))
        {
            return; // nobody here waits in that queue: no copy to keep
        }

        var reload = false;
        lock (replica)
        {
            if (replica.Loading)
            {
                replica.ArrivedWhileLoading.Add(delta);
            }
            else if (replica.Loaded)
            {
                reload = !ApplyInOrder(replica, delta);
            }
        }

        if (reload)
        {
            _ = ReloadAsync(delta.Language);
        }
    }

    /// <summary>
    /// Each waiting customer's 1-based number, and the line's pace, when the copy changed since the last
    /// call (or <paramref name="force"/>); null when there is nothing new or the copy is not loaded yet.
    /// </summary>
    public QueueNumbers? TakePositionsIfChanged(string language, bool force)
    {
        var replica = _replicas.GetOrAdd(language, _ => new Replica());
        lock (replica)
        {
            if (!replica.Loaded && !replica.Loading)
            {
                _ = ReloadAsync(language);
                return null;
            }

            if (!replica.Loaded || (!replica.Changed && !force))
            {
                return null;
            }

            replica.Changed = false;
            var positions = new Dictionary<Guid, int>(replica.Order.Count);
            for (var i = 0; i < replica.Order.Count; i++)
            {
                positions[replica.Order[i]] = i + 1;
            }

            return new QueueNumbers(positions, replica.SecondsPerCustomer, replica.ChangedAt);
        }
    }

    /// <summary>Reads the whole order again: at start, after a gap, and now and then to be safe.</summary>
    public async Task ReloadAsync(string language)
    {
        var replica = _replicas.GetOrAdd(language, _ => new Replica());
        lock (replica)
        {
            if (replica.Loading)
            {
                return;
            }

            replica.Loading = true;
        }

        try
        {
            var snapshot = await grains.GetGrain<IQueueGrain>(language).GetSnapshot();
            lock (replica)
            {
                replica.Order = [.. snapshot.Order];
                replica.Sequence = snapshot.Sequence;
                replica.SecondsPerCustomer = snapshot.SecondsPerCustomer;
                replica.ChangedAt = TimeProvider.System.GetUtcNow(); // the snapshot holds as of now
                replica.Loaded = true;
                replica.Changed = true;
                foreach (var delta in replica.ArrivedWhileLoading.OrderBy(d => d.Sequence))
                {
                    if (!ApplyInOrder(replica, delta))
                    {
                        replica.Loaded = false; // a gap even after the snapshot: the next tick reloads
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            LogReloadFailed(ex, language);
        }
        finally
        {
            lock (replica)
            {
                replica.Loading = false;
                replica.ArrivedWhileLoading.Clear();
            }
        }
    }

    public IEnumerable<string> LoadedLanguages => _replicas.Where(r => r.Value.Loaded).Select(r => r.Key);

    /// <summary>Applies the delta if it is the next one; false when one was missed.</summary>
    private static bool ApplyInOrder(Replica replica, QueueDelta delta)
    {
        if (delta.Sequence <= replica.Sequence)
        {
            return true; // already in the copy
        }

        if (delta.Sequence != replica.Sequence + 1)
        {
            replica.Loaded = false;
            return false;
        }

        var order = replica.Order;
        switch (delta.Kind)
        {
            case QueueChangeKind.Inserted:
                order.Insert(Math.Clamp(delta.Index, 0, order.Count), delta.SessionId);
                break;
            case QueueChangeKind.Removed:
                if (delta.Index < order.Count && order[delta.Index] == delta.SessionId)
                {
                    order.RemoveAt(delta.Index);
                }
                else
                {
                    order.Remove(delta.SessionId);
                }

                break;
        }

        replica.Sequence = delta.Sequence;
        replica.SecondsPerCustomer = delta.SecondsPerCustomer;
        replica.ChangedAt = delta.ChangedAt;
        replica.Changed = true;
        return true;
    }

    /// <summary>Everyone's number as of the line's change at <paramref name="AsOf"/>.</summary>
    public sealed record QueueNumbers(Dictionary<Guid, int> Positions, double? SecondsPerCustomer, DateTimeOffset AsOf);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order of queue {Language} could not be reloaded")]
    private partial void LogReloadFailed(Exception ex, string language);
}
