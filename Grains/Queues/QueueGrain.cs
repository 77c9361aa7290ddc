using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansSupport.Operators;
using OrleansSupport.Presence;
using OrleansSupport.Push;
using OrleansSupport.Sessions;
using OrleansSupport.Storage;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Queues;

/// <inheritdoc cref="IQueueGrain"/>
/// <remarks>
/// Reentrant so that callers arriving during a storage write share the next one (see <see cref="GroupCommit"/>).
/// Every change to the line happens synchronously before the first await of a call, so interleaving never
/// sees half a change, and each customer is still handed out once. One timer looks every few seconds for
/// waiters without a connection on any frontend (<see cref="AwayWaiters"/>): they keep their place but are
/// passed over, and leave once gone past the grace.
/// </remarks>
[Reentrant]
public sealed partial class QueueGrain : Grain, IQueueGrain
{
    private readonly IQueueStore _store;
    private readonly PushDispatcher _push;
    private readonly IOptions<LanguageOptions> _languages;
    private readonly ILogger<QueueGrain> _logger;
    private readonly TimeProvider _clock;
    private readonly CustomerPresence _presence;
    private readonly TimeProvider _realClock;
    private readonly AwayWaiters _away;
    private readonly GroupCommit _commit;
    private readonly List<QueueDelta> _unpublished = [];
    private readonly LinkedList<string> _idleOperators = new();
    private WaitingLine _line = new([]);
    private long _sequence;
    private long _version;

    /// <summary>The order and sequence number storage holds: what a snapshot may show.</summary>
    private (ImmutableSortedSet<WaitingEntry> Order, long Sequence) _committed = (ImmutableSortedSet<WaitingEntry>.Empty, 0);
    private List<DateTimeOffset> _recentServices = [];
    private QueueHistory _history = new([]);
    private bool _storageFailed;

    /// <summary>
    /// A frontend holding a copy of the line reloads it at least every 15 s while it has waiters here
    /// (QueueNumberBoard.Resync), and uses a copy older than that only after reloading it; one that has not
    /// reloaded for three times that long holds no copy in use, and is sent no more changes.
    /// </summary>
    private static readonly TimeSpan CopyExpiry = TimeSpan.FromSeconds(45);

    /// <summary>The frontends holding a copy of the line: the queue's changes go there.</summary>
    private RenewedFrontends _copies = null!;

    /// <summary>How often the line is checked for customers who are gone.</summary>
    private static readonly TimeSpan AwaySweepPeriod = TimeSpan.FromSeconds(2);

    /// <param name="realClock">
    /// Absence is real time, compared with the session's own record of the customer's last call; opening
    /// hours and waits follow <paramref name="clock"/>, which tests move by hours.
    /// </param>
    public QueueGrain(
        IQueueStore store,
        PushDispatcher push,
        CustomerPresence presence,
        IOptions<LanguageOptions> languages,
        IOptions<CustomerPresenceOptions> presenceOptions,
        [FromKeyedServices(SupportClock.Key)] TimeProvider clock,
        TimeProvider realClock,
        ILogger<QueueGrain> logger)
    {
        _clock = clock;
        _presence = presence;
        _realClock = realClock;
        _away = new AwayWaiters(presenceOptions.Value.QueueGrace, presenceOptions.Value.PassOverAfter);
        _store = store;
        _push = push;
        _languages = languages;
        _logger = logger;
        _commit = new GroupCommit(WriteChangesAsync);
    }

    private string Language => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.ReadAsync(Language);
        _version = stored.Version;
        _line = new WaitingLine(stored.Waiting);
        _sequence = stored.Header.Sequence;
        _committed = (_line.Order, _sequence);
        _recentServices = [.. stored.Header.RecentServices];
        _history = new QueueHistory(stored.Header.History);
        SupportMetrics.ReportQueueLength(Language, _line.Count);
        _copies = new RenewedFrontends(CopyExpiry, learning: true, _realClock.GetUtcNow()); // copies may be out there already
        this.RegisterGrainTimer(SweepAwayAsync, new GrainTimerCreationOptions(AwaySweepPeriod, AwaySweepPeriod) { KeepAlive = true });
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
        if (index >= 0)
        {
            CustomerCalled(sessionId);
            return PlaceAt(index);
        }

        return await InsertAsync(sessionId, waitingSince);
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
        _away.Left(sessionId);
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
        return Task.FromResult(FirstServable() is var index and >= 0 ? _line[index].Customer : null);
    }

    public async Task<QueuedCustomer?> DequeueNext()
    {
        EnsureWritable();
        var index = FirstServable();
        if (index < 0)
        {
            return null;
        }

        var customer = _line.RemoveAt(index).Customer;
        _away.Left(customer.SessionId);
        ServicePace.Record(_recentServices, _clock.GetUtcNow());
        _history.Current(_clock.GetUtcNow()).Served++;
        SupportMetrics.WaitSeconds.Record((_clock.GetUtcNow() - customer.WaitingSince).TotalSeconds, SupportMetrics.Language(Language));
        Record(QueueChangeKind.Removed, customer.SessionId, index);
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

        var index = _line.Insert(customer.SessionId, customer.WaitingSince);
        Record(QueueChangeKind.Inserted, customer.SessionId, index);
        NotifyOneIdleOperator();
        await CommitAsync();
    }

    public async Task<QueuePlace> ReturnToHead(Guid sessionId)
    {
        EnsureWritable();
        var index = _line.IndexOf(sessionId);
        if (index >= 0)
        {
            return PlaceAt(index);
        }

        // Just before the current head keeps the line ordered by waiting time.
        return await InsertAsync(sessionId, _line.Count > 0 ? _line[0].WaitingSince.AddTicks(-1) : _clock.GetUtcNow());
    }

    public Task<QueuePlace?> GetPlace(Guid sessionId)
    {
        EnsureWritable();
        var index = _line.IndexOf(sessionId);
        if (index >= 0)
        {
            CustomerCalled(sessionId);
        }

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
            [.. minutes.Select(m => m.Abandoned)],
            _away.Count));
    }

    public Task<QueueSnapshot> GetSnapshot()
    {
        _copies.Heard(CallingFrontend.Current, _realClock.GetUtcNow());
        return Task.FromResult(new QueueSnapshot(
            Language, _committed.Sequence, [.. _committed.Order.Select(c => c.SessionId)], SecondsPerCustomer()));
    }

    public Task RegisterIdleOperator(string operatorId)
    {
        if (!_idleOperators.Contains(operatorId))
        {
            _idleOperators.AddLast(operatorId);
        }

        if (FirstServable() >= 0)
        {
            NotifyOneIdleOperator();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Adds the customer, stores the change and answers their place. Taken by an operator while the change
    /// was being stored, they are answered the place they were given.
    /// </summary>
    private async Task<QueuePlace> InsertAsync(Guid sessionId, DateTimeOffset waitingSince)
    {
        var index = _line.Insert(sessionId, waitingSince);
        Record(QueueChangeKind.Inserted, sessionId, index);
        var place = PlaceAt(index);
        NotifyOneIdleOperator();
        await CommitAsync();
        return _line.IndexOf(sessionId) is var now and >= 0 ? PlaceAt(now) : place;
    }

    /// <summary>The first waiter an operator may take now: the gone are passed over, keeping their place.</summary>
    private int FirstServable() => _away.FirstServable(_line.Order.Select(e => e.SessionId), _realClock.GetUtcNow());

    /// <summary>The customer called through a connection: not away, whatever the last sweep found.</summary>
    private void CustomerCalled(Guid sessionId)
    {
        if (_away.CustomerCalled(sessionId))
        {
            NotifyOneIdleOperator();
        }
    }

    /// <summary>
    /// Asks the frontends which waiters still have a connection. Those back may be served again (an idle
    /// operator is woken); those gone past the grace are asked, one way, to leave: the session decides,
    /// since its customer may have called in the meantime.
    /// </summary>
    private async Task SweepAwayAsync()
    {
        if (_storageFailed || _line.Count == 0)
        {
            return;
        }

        try
        {
            var asked = _away.StartSweep(_line.Order.Select(e => e.SessionId));
            var found = _away.FinishSweep(await _presence.AskAsync(asked), _realClock.GetUtcNow());
            if (found.Returned.Count > 0)
            {
                NotifyOneIdleOperator();
            }

            foreach (var (sessionId, awaySince) in found.ToLeave)
            {
                GrainFactory.GetGrain<ICustomerSessionGrain>(sessionId).LeaveQueueBecauseAway(Language, awaySince).Ignore();
            }
        }
        catch (Exception ex)
        {
            LogSweepFailed(ex, Language);
        }
    }

    private double? SecondsPerCustomer() => ServicePace.SecondsPerCustomer(_recentServices, _clock.GetUtcNow());

    private QueuePlace PlaceAt(int index) =>
        new(Language, index + 1, _line.Count, ServicePace.EstimatedWaitSeconds(index + 1, SecondsPerCustomer()), Sequence: _sequence);

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

    private async Task WriteChangesAsync()
    {
        // Taken before the first await, while no other call runs: calls that change the line from here
        // on belong to the next write.
        var (added, removed) = _line.TakeChanges();
        var header = new QueueHeader { Sequence = _sequence, RecentServices = [.. _recentServices], History = _history.Copy() };
        var order = _line.Order;
        var deltas = _unpublished.ToArray();
        _unpublished.Clear();
        try
        {
            _version = await _store.WriteAsync(Language, _version, new QueueChanges(header, added, removed));
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
        _committed = (order, header.Sequence);
        var storedAt = TimeProvider.System.GetUtcNow();
        var copies = _copies.TargetsAt(_realClock.GetUtcNow());
        foreach (var delta in deltas)
        {
            _push.Publish(delta with { ChangedAt = storedAt }, copies);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Language} could not ask the frontends which waiters are still connected")]
    private partial void LogSweepFailed(Exception ex, string language);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Language} could not be written to storage")]
    private partial void LogWriteFailed(Exception ex, string language);
}
