using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSupport.Presence;
using OrleansSupport.Push;
using OrleansSupport.Sessions;
using OrleansSupport.Storage;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Operators;

/// <inheritdoc cref="IOperatorGrain"/>
/// <remarks>
/// Not reentrant: capacity is checked and a chat added within one call, so concurrent "accept" requests
/// can never push an operator past capacity. While available, a timer keeps the operator filled and
/// registered with its queues, which wake it as soon as someone starts waiting. Timers and the queues'
/// idle lists die with their silo, so a durable reminder brings an available operator back to work
/// after a crash, within a minute, with no call from the operator's browser. The same timer watches the
/// operator's consoles: silent for the grace period, the operator is taken for gone, their chats go back
/// to the head of the queues and they stop being available. While there are chats, it also asks the
/// frontends every few seconds whether their customers are still connected: the operator is told who is
/// offline, and a chat whose customer stays gone past the chat grace ends as "customer left", freeing its
/// place. Who is offline since when is kept in memory: an activation starts by taking everyone for online,
/// which at worst gives a gone customer one more grace.
/// </remarks>
public sealed partial class OperatorGrain(
    [PersistentState("operator", StorageNames.Default)] IPersistentState<OperatorState> state,
    PushDispatcher push,
    CustomerPresence customers,
    IOptions<LanguageOptions> languages,
    IOptions<OperatorPresenceOptions> presence,
    IOptions<CustomerPresenceOptions> customerPresence,
    TimeProvider systemClock,
    ILogger<OperatorGrain> logger) : Grain, IOperatorGrain, IRemindable
{
    private const string KeepWorkingReminder = "keep-working";
    private static readonly TimeSpan FillPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often the customers of the open chats are looked for (every other tick of the timer).</summary>
    private static readonly TimeSpan CustomerCheckPeriod = TimeSpan.FromSeconds(4);

    private IGrainTimer? _workTimer;

    /// <summary>When a console last showed itself; an activation starts by giving a full grace period.</summary>
    private DateTime _lastSeen = DateTime.UtcNow;

    /// <summary>When a console really showed itself in this activation (for "online" on the dashboard).</summary>
    private DateTime? _heardFrom;

    /// <summary>
    /// The open chats whose customer the frontends last said they hold no connection of, since when (on the
    /// silo's own clock, as the session's record of the customer's last call is).
    /// </summary>
    private readonly Dictionary<Guid, DateTimeOffset> _offlineSince = [];

    private DateTimeOffset _customersCheckedAt = DateTimeOffset.MinValue;

    /// <summary>The frontends of the consoles heard from within the grace: the operator's pushes go there.</summary>
    private RenewedFrontends _consoles = null!;

    /// <summary>What the open chats' sessions were last told of <see cref="_consoles"/>.</summary>
    private IFrontendObserver[]? _consolesToldToChats;

    private bool NeedsWatching => S.Available || S.ActiveChats.Count > 0;

    private OperatorState S => state.State;

    private string OperatorId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An operator who has worked before may have consoles open that have not called this activation yet.
        _consoles = new RenewedFrontends(TimeSpan.FromSeconds(presence.Value.GraceSeconds), learning: state.RecordExists, systemClock.GetUtcNow());
        if (NeedsWatching)
        {
            StartWorkTimer();
        }

        return Task.CompletedTask;
    }

    public Task Heartbeat()
    {
        _lastSeen = DateTime.UtcNow;
        _heardFrom = _lastSeen;
        ConsoleCalled();
        return Task.CompletedTask;
    }

    public async Task<OperatorView> Configure(string[] languageCodes, int capacity)
    {
        if (languageCodes is not { Length: > 0 })
        {
            throw new SupportException("no-languages", "Choose at least one language to serve.");
        }

        foreach (var code in languageCodes)
        {
            languages.Value.EnsureKnown(code);
        }

        if (capacity < 1 || capacity > SupportLimits.MaxOperatorCapacity)
        {
            throw new SupportException(
                "bad-capacity", $"Capacity must be between 1 and {SupportLimits.MaxOperatorCapacity} chats.");
        }

        _lastSeen = DateTime.UtcNow;
        _heardFrom = _lastSeen;
        ConsoleCalled();
        S.Languages = [.. languageCodes.Distinct(StringComparer.Ordinal)];
        S.Capacity = capacity;
        await state.WriteStateAsync();
        return View();
    }

    public async Task<OperatorView> SetAvailable(bool available)
    {
        if (available && S.Languages.Count == 0)
        {
            throw new SupportException("no-languages", "Choose the languages you serve first.");
        }

        _lastSeen = DateTime.UtcNow;
        S.Available = available;
        await state.WriteStateAsync();
        if (available)
        {
            await this.RegisterOrUpdateReminder(KeepWorkingReminder, ReminderPeriod, ReminderPeriod);
            StartWorkTimer();
            await FillAsync();
        }
        else if (!NeedsWatching)
        {
            StopWorkTimer();
            await StopReminderAsync();
        }

        return View();
    }

    public async Task<Guid?> AcceptNext()
    {
        if (S.Languages.Count == 0)
        {
            throw new SupportException("no-languages", "Choose the languages you serve first.");
        }

        if (S.ActiveChats.Count >= S.Capacity)
        {
            throw new SupportException("at-capacity", "You are already serving as many chats as your capacity allows.");
        }

        return await TakeLongestWaitingAsync();
    }

    public Task<OperatorView> GetView() => Task.FromResult(View());

    public async Task<OperatorView> SetCapacity(int capacity)
    {
        if (S.Languages.Count == 0)
        {
            throw new SupportException("unknown-operator", "No operator works under that name.");
        }

        if (capacity < 1 || capacity > SupportLimits.MaxOperatorCapacity)
        {
            throw new SupportException("bad-capacity", $"Capacity must be between 1 and {SupportLimits.MaxOperatorCapacity} chats.");
        }

        // Open chats above a lowered capacity stay; no new ones come until the operator is below it.
        S.Capacity = capacity;
        await state.WriteStateAsync();
        if (S.Available)
        {
            await FillAsync();
        }

        return View();
    }

    public async Task ReleaseChat(Guid sessionId)
    {
        _offlineSince.Remove(sessionId);
        if (S.ActiveChats.Remove(sessionId))
        {
            await state.WriteStateAsync();
            Publish(OperatorEventKind.ChatEnded, sessionId);
        }

        if (S.Available)
        {
            await FillAsync();
        }
    }

    public async Task TakeTransfer(Guid sessionId, string fromOperatorId)
    {
        if (S.Languages.Count == 0)
        {
            throw new SupportException("unknown-operator", "No operator works under that name.");
        }

        if (fromOperatorId == OperatorId)
        {
            throw new SupportException("wrong-state", "A chat cannot be transferred to its own operator.");
        }

        if (S.ActiveChats.Count >= S.Capacity)
        {
            throw new SupportException("at-capacity", "That operator has no room for another chat.");
        }

        await GrainFactory.GetGrain<ICustomerSessionGrain>(sessionId).TransferToOperator(fromOperatorId, OperatorId, _consoles.TargetsAt(systemClock.GetUtcNow()));
        S.ActiveChats.Add(sessionId);
        StartWorkTimer();
        await state.WriteStateAsync();
        Publish(OperatorEventKind.ChatAssigned, sessionId);
    }

    public async Task WorkAvailable()
    {
        if (S.Available)
        {
            await FillAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (NeedsWatching)
        {
            StartWorkTimer(); // the activation may be new: its timer died with the previous one
            await WorkAsync();
        }
        else
        {
            await StopReminderAsync();
        }
    }

    private async Task StopReminderAsync()
    {
        if (await this.GetReminder(KeepWorkingReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StartWorkTimer() =>
        _workTimer ??= this.RegisterGrainTimer(WorkAsync, new GrainTimerCreationOptions(FillPeriod, FillPeriod) { KeepAlive = true });

    private void StopWorkTimer()
    {
        _workTimer?.Dispose();
        _workTimer = null;
    }

    private async Task WorkAsync()
    {
        TellChatsWhereConsolesAre();
        if (DateTime.UtcNow - _lastSeen > TimeSpan.FromSeconds(presence.Value.GraceSeconds))
        {
            await ReturnChatsAsync();
        }
        else
        {
            if (S.ActiveChats.Count > 0 && systemClock.GetUtcNow() - _customersCheckedAt >= CustomerCheckPeriod)
            {
                await WatchCustomersAsync();
            }

            if (S.Available)
            {
                await FillAsync();
            }
        }
    }

    /// <summary>
    /// Tells the operator which customers went offline or came back, and ends the chats of customers gone past
    /// the chat grace. Only a conclusive answer makes a customer offline; one found connected is online.
    /// </summary>
    private async Task WatchCustomersAsync()
    {
        _customersCheckedAt = systemClock.GetUtcNow();
        foreach (var gone in _offlineSince.Keys.Where(id => !S.ActiveChats.Contains(id)).ToList())
        {
            _offlineSince.Remove(gone); // returned to the queue or handed on meanwhile
        }

        var chats = S.ActiveChats.ToArray();
        PresenceAnswer answer;
        try
        {
            answer = await customers.AskAsync(chats);
        }
        catch (Exception ex)
        {
            LogPresenceFailed(ex, OperatorId); // asked again on a later tick
            return;
        }

        var now = systemClock.GetUtcNow();
        foreach (var sessionId in chats.Where(S.ActiveChats.Contains))
        {
            if (answer.IsConnected(sessionId) && _offlineSince.Remove(sessionId))
            {
                Publish(OperatorEventKind.CustomerOnline, sessionId);
            }
            else if (answer.IsGone(sessionId) && _offlineSince.TryAdd(sessionId, now))
            {
                Publish(OperatorEventKind.CustomerOffline, sessionId);
            }
        }

        var ended = 0;
        foreach (var (sessionId, since) in _offlineSince.Where(e => now - e.Value >= customerPresence.Value.ChatGrace).ToList())
        {
            try
            {
                if (!await GrainFactory.GetGrain<ICustomerSessionGrain>(sessionId).EndBecauseCustomerLeft(OperatorId, since))
                {
                    // The customer called since: they are back, whatever the frontends said a moment ago.
                    _offlineSince.Remove(sessionId);
                    Publish(OperatorEventKind.CustomerOnline, sessionId);
                    continue;
                }

                // Ended now, or no longer ours anyway: the place is free at once (the session's ReleaseChat,
                // arriving later, then finds nothing to release).
                _offlineSince.Remove(sessionId);
                if (S.ActiveChats.Remove(sessionId))
                {
                    ended++;
                    Publish(OperatorEventKind.ChatEnded, sessionId);
                }
            }
            catch (Exception ex)
            {
                LogEndFailed(ex, OperatorId); // kept, and tried again on the next check
            }
        }

        if (ended > 0)
        {
            await state.WriteStateAsync();
            LogCustomersLeft(OperatorId, ended);
        }
    }

    private void Publish(OperatorEventKind kind, Guid sessionId) =>
        push.Publish(new OperatorEvent(OperatorId, kind, sessionId), _consoles.TargetsAt(systemClock.GetUtcNow()));

    /// <summary>
    /// Called by the methods only a console calls (through its frontend): that frontend holds a console. The
    /// open chats are told when the consoles' frontends changed, so their pushes for the operator follow.
    /// </summary>
    private void ConsoleCalled()
    {
        _consoles.Heard(CallingFrontend.Current, systemClock.GetUtcNow());
        TellChatsWhereConsolesAre();
    }

    /// <summary>Also on every tick of the work timer: a console not heard from within the grace drops out.</summary>
    private void TellChatsWhereConsolesAre()
    {
        var consoles = _consoles.TargetsAt(systemClock.GetUtcNow());
        if (ReferenceEquals(consoles, _consolesToldToChats))
        {
            return;
        }

        _consolesToldToChats = consoles;
        foreach (var sessionId in S.ActiveChats)
        {
            // One way: nothing needs the answer, and the session may be busy calling this operator.
            GrainFactory.GetGrain<ICustomerSessionGrain>(sessionId).RouteOperator(OperatorId, consoles).Ignore();
        }
    }

    /// <summary>The operator is gone: their customers go back to the head of the queues, told so.</summary>
    private async Task ReturnChatsAsync()
    {
        var returned = 0;

        // Newest first: each goes in front of the line, so the customer served longest ends up first.
        foreach (var sessionId in S.ActiveChats.AsEnumerable().Reverse().ToArray())
        {
            try
            {
                // False: the chat had ended or moved on meanwhile; either way it is no longer ours.
                await GrainFactory.GetGrain<ICustomerSessionGrain>(sessionId).ReturnToQueue(OperatorId);
                S.ActiveChats.Remove(sessionId);
                returned++;
            }
            catch (Exception ex)
            {
                LogReturnFailed(ex, OperatorId); // kept, and tried again on the next tick
            }
        }

        S.Available = false;
        await state.WriteStateAsync();
        LogOperatorGone(OperatorId, returned);
        if (S.ActiveChats.Count == 0)
        {
            StopWorkTimer();
            await StopReminderAsync();
        }
    }

    /// <summary>Takes customers until full or no one waits; then asks the queues to wake it.</summary>
    private async Task FillAsync()
    {
        try
        {
            while (S.Available && S.ActiveChats.Count < S.Capacity)
            {
                if (await TakeLongestWaitingAsync() is null)
                {
                    await Task.WhenAll(S.Languages.Select(l => GrainFactory.GetGrain<IQueueGrain>(l).RegisterIdleOperator(OperatorId)));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // The timer tries again in a moment; a failure here must not take the operator down.
            LogFillFailed(ex, OperatorId);
        }
    }

    /// <summary>
    /// Takes the customer who has waited longest across this operator's languages. The queue hands each
    /// customer out once; the session then accepts exactly one operator. If the session no longer wants
    /// one (the customer left meanwhile), the next customer is tried.
    /// </summary>
    private async Task<Guid?> TakeLongestWaitingAsync()
    {
        var heads = await Task.WhenAll(S.Languages.Select(async l => (Language: l, Head: await GrainFactory.GetGrain<IQueueGrain>(l).PeekOldest())));
        foreach (var (language, _) in heads.Where(h => h.Head is not null).OrderBy(h => h.Head!.WaitingSince))
        {
            var queue = GrainFactory.GetGrain<IQueueGrain>(language);
            while (await queue.DequeueNext() is { } customer)
            {
                bool assigned;
                try
                {
                    assigned = await GrainFactory.GetGrain<ICustomerSessionGrain>(customer.SessionId).AssignOperator(OperatorId, _consoles.TargetsAt(systemClock.GetUtcNow()));
                }
                catch
                {
                    await ReturnAsync(queue, customer);
                    throw;
                }

                if (!assigned)
                {
                    continue;
                }

                S.ActiveChats.Add(customer.SessionId);
                SupportMetrics.Assignments.Add(1, SupportMetrics.Language(language));
                StartWorkTimer(); // watches the console while chats are open, available or not
                await state.WriteStateAsync();
                Publish(OperatorEventKind.ChatAssigned, customer.SessionId);
                return customer.SessionId;
            }
        }

        return null;
    }

    /// <summary>
    /// Puts a customer whose assignment failed back in their place. Retried, because a customer taken from
    /// the queue and not returned would wait unseen until their browser reconnects.
    /// </summary>
    private async Task ReturnAsync(IQueueGrain queue, QueuedCustomer customer)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await queue.Return(customer);
                return;
            }
            catch (Exception ex) when (attempt < 5)
            {
                LogReturnRetried(ex, OperatorId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    private OperatorView View() => new(
        OperatorId, [.. S.Languages], S.Capacity, S.Available, [.. S.ActiveChats],
        Online: _heardFrom is { } heard && DateTime.UtcNow - heard <= TimeSpan.FromSeconds(presence.Value.GraceSeconds))
    {
        OfflineChats = [.. S.ActiveChats.Where(_offlineSince.ContainsKey)],
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} could not return a customer to the queue (attempt {Attempt}); retrying")]
    private partial void LogReturnRetried(Exception ex, string operatorId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} was not heard from within the grace period; {Returned} chats returned to the queues")]
    private partial void LogOperatorGone(string operatorId, int returned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chat of operator {OperatorId} could not be returned to its queue yet")]
    private partial void LogReturnFailed(Exception ex, string operatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} could not ask whether their customers are connected")]
    private partial void LogPresenceFailed(Exception ex, string operatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chat of operator {OperatorId} whose customer left could not be ended yet")]
    private partial void LogEndFailed(Exception ex, string operatorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {OperatorId}: {Ended} chats ended because their customers stayed offline past the grace period")]
    private partial void LogCustomersLeft(string operatorId, int ended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} could not take waiting customers")]
    private partial void LogFillFailed(Exception ex, string operatorId);
}
