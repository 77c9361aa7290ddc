using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansSupport.Operators;
using OrleansSupport.Push;
using OrleansSupport.Storage;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Queues;

/// <inheritdoc cref="IQueueGrain"/>
/// <remarks>
/// Reentrant so that callers arriving during a storage write share the next one (see <see cref="GroupCommit"/>).
/// Every change to the line happens synchronously before the first await of a call, so interleaving never
/// sees half a change, and each customer is still handed out once.
/// </remarks>
[Reentrant]
public sealed partial class QueueGrain : Grain, IQueueGrain
{
    private readonly IPersistentState<QueueState> _state;
    private readonly PushDispatcher _push;
    private readonly IOptions<LanguageOptions> _languages;
    private readonly ILogger<QueueGrain> _logger;
    private readonly TimeProvider _clock;
    private readonly GroupCommit _commit;
    private readonly List<QueueDelta> _unpublished = [];
    private readonly LinkedList<string> _idleOperators = new();
    private WaitingLine _line = new([]);
    private QueueState _committed = new();
    private long _sequence;
    private List<DateTimeOffset> _recentServices = [];
    private QueueHistory _history = new([]);
    private bool _storageFailed;

    public QueueGrain(
        [PersistentState("queue", StorageNames.Default)] IPersistentState<QueueState> state,
        PushDispatcher push,
        IOptions<LanguageOptions> languages,
        [FromKeyedServices(SupportClock.Key)] TimeProvider clock,
        ILogger<QueueGrain> logger)
    {
        _clock = clock;
        _state = state;
        _push = push;
        _languages = languages;
        _logger = logger;
        _commit = new GroupCommit(WriteSnapshotAsync);
    }

    private string Language => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _committed = _state.State;
        _line = new WaitingLine(_committed.Waiting);
        _sequence = _committed.Sequence;
        _recentServices = [.. _committed.RecentServices];
        _history = new QueueHistory(_committed.History);
        SupportMetrics.ReportQueueLength(Language, _line.Count);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SupportMetrics.ForgetQueue(Language);
        return Task.CompletedTask;
    }

    public async Task<QueuePlace> Enqueue(Guid sessionId, DateTimeOffset waitingSince)
    {
        EnsureWritable();
        _languages.Value.EnsureKnown(Language);
        var index = _line.IndexOf(sessionId);
        if (index < 0)
        {
            index = _line.Insert(new QueuedCustomer(sessionId, waitingSince));
            Record(QueueChangeKind.Inserted, sessionId, index);
            NotifyOneIdleOperator();
            await CommitAsync();
            index = _line.IndexOf(sessionId);
        }

        return PlaceAt(index);
    }

    public async Task<bool> Leave(Guid sessionId, bool abandoned = false)
    {
        EnsureWritable();
        var index = _line.IndexOf(sessionId);
        if (index < 0)
        {
            return false;
        }

        _line.RemoveAt(index);
        if (abandoned)
        {
            _history.Current(_clock.GetUtcNow()).Abandoned++;
            SupportMetrics.Abandoned.Add(1, SupportMetrics.Language(Language));
        }

        Record(QueueChangeKind.Removed, sessionId, index);
        await CommitAsync();
        return true;
    }

    public Task<QueuedCustomer?> PeekOldest()
    {
        EnsureWritable();
        return Task.FromResult(_line.Count > 0 ? _line.Order[0] : null);
    }

    public async Task<QueuedCustomer?> DequeueNext()
    {
        EnsureWritable();
        if (_line.Count == 0)
        {
            return null;
        }

        var customer = _line.RemoveAt(0);
        ServicePace.Record(_recentServices, _clock.GetUtcNow());
        _history.Current(_clock.GetUtcNow()).Served++;
        SupportMetrics.WaitSeconds.Record((_clock.GetUtcNow() - customer.WaitingSince).TotalSeconds, SupportMetrics.Language(Language));
        Record(QueueChangeKind.Removed, customer.SessionId, 0);
        await CommitAsync();
        return customer;
    }

    public async Task Return(QueuedCustomer customer)
    {
        EnsureWritable();
        if (_line.IndexOf(customer.SessionId) >= 0)
        {
            return;
        }

        var index = _line.Insert(customer);
        Record(QueueChangeKind.Inserted, customer.SessionId, index);
        NotifyOneIdleOperator();
        await CommitAsync();
    }

    public async Task<QueuePlace> ReturnToHead(Guid sessionId)
    {
        EnsureWritable();
        var index = _line.IndexOf(sessionId);
        if (index < 0)
        {
            // Just before the current head keeps the line ordered by waiting time.
            var ahead = _line.Count > 0 ? _line.Order[0].WaitingSince.AddTicks(-1) : _clock.GetUtcNow();
            index = _line.Insert(new QueuedCustomer(sessionId, ahead));
            Record(QueueChangeKind.Inserted, sessionId, index);
            NotifyOneIdleOperator();
            await CommitAsync();
            index = _line.IndexOf(sessionId);
        }

        return PlaceAt(index);
    }

    public Task<QueuePlace?> GetPlace(Guid sessionId)
    {
        EnsureWritable();
        var index = _line.IndexOf(sessionId);
        return Task.FromResult(index < 0 ? null : PlaceAt(index));
    }

    public Task<QueueStats> GetStats()
    {
        EnsureWritable();
        var now = _clock.GetUtcNow();
        var waits = _line.Order.Select(c => Math.Max(0, (int)(now - c.WaitingSince).TotalSeconds)).ToList();
        _history.Current(now).Waiting = _line.Count;
        var minutes = _history.LastHour(now);
        return Task.FromResult(new QueueStats(
            Language,
            _line.Count,
            waits.Count > 0 ? waits.Max() : 0,
            waits.Count > 0 ? (int)waits.Average() : 0,
            ServicePace.EstimatedWaitSeconds(_line.Count, SecondsPerCustomer()),
            [.. minutes.Select(m => m.Waiting)],
            [.. minutes.Select(m => m.Served)],
            [.. minutes.Select(m => m.Abandoned)]));
    }

    public Task<QueueSnapshot> GetSnapshot() =>
        Task.FromResult(new QueueSnapshot(
            Language, _committed.Sequence, [.. _committed.Waiting.Select(c => c.SessionId)], SecondsPerCustomer()));

    public Task RegisterIdleOperator(string operatorId)
    {
        if (!_idleOperators.Contains(operatorId))
        {
            _idleOperators.AddLast(operatorId);
        }

        if (_line.Count > 0)
        {
            NotifyOneIdleOperator();
        }

        return Task.CompletedTask;
    }

    private double? SecondsPerCustomer() => ServicePace.SecondsPerCustomer(_recentServices, _clock.GetUtcNow());

    private QueuePlace PlaceAt(int index) =>
        new(Language, index + 1, _line.Count, ServicePace.EstimatedWaitSeconds(index + 1, SecondsPerCustomer()));

    private void Record(QueueChangeKind kind, Guid sessionId, int index)
    {
        _unpublished.Add(new QueueDelta(Language, ++_sequence, kind, sessionId, index, SecondsPerCustomer(), ChangedAt: default)); // stamped once stored
        _history.Current(_clock.GetUtcNow()).Waiting = _line.Count;
        SupportMetrics.ReportQueueLength(Language, _line.Count);
    }

    /// <summary>
    /// After a failed write memory is ahead of storage: no change may build on it and no answer may come
    /// from it, until this activation is gone and the next one has read storage again.
    /// </summary>
    private void EnsureWritable()
    {
        if (_storageFailed)
        {
            throw StorageUnavailable();
        }
    }

    private static SupportException StorageUnavailable() =>
        new("storage-unavailable", "The queue could not be saved; please try again.");

    /// <summary>Wakes the operator who has been idle longest; they re-register if they stay idle.</summary>
    private void NotifyOneIdleOperator()
    {
        if (_idleOperators.First is { } first)
        {
            _idleOperators.RemoveFirst();
            GrainFactory.GetGrain<IOperatorGrain>(first.Value).WorkAvailable().Ignore();
        }
    }

    private async Task CommitAsync()
    {
        try
        {
            await _commit.CommitAsync();
        }
        catch (Exception ex) when (ex is not SupportException)
        {
            LogWriteFailed(ex, Language);
            throw StorageUnavailable();
        }
    }

    private async Task WriteSnapshotAsync()
    {
        // A fresh object per write: the provider may serialize it on another thread while calls go on.
        var snapshot = new QueueState
        {
            Waiting = [.. _line.Order], Sequence = _sequence, RecentServices = [.. _recentServices], History = _history.Copy(),
        };
        _state.State = snapshot;
        var deltas = _unpublished.ToArray();
        _unpublished.Clear();
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // Set here, before any other call can run: memory holds changes storage does not. The next
            // activation reads storage again rather than serve an order a restart would not reproduce.
            _storageFailed = true;
            DeactivateOnIdle();
            throw;
        }

        // The line has changed once its change is stored (a failed write undoes it): that is the time a
        // customer's number is "as of".
        _committed = snapshot;
        var storedAt = TimeProvider.System.GetUtcNow();
        foreach (var delta in deltas)
        {
            _push.Publish(delta with { ChangedAt = storedAt });
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Language} could not be written to storage")]
    private partial void LogWriteFailed(Exception ex, string language);
}
