using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using OrleansSupport.HelpCenter;
using OrleansSupport.Operators;
using OrleansSupport.Push;
using OrleansSupport.Storage;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Sessions;

/// <inheritdoc cref="ICustomerSessionGrain"/>
/// <remarks>
/// Not reentrant: one call at a time keeps the state machine simple. It waits on its queue, which is
/// reentrant and never calls a session. It never waits on an operator grain, which calls sessions and
/// waits for them (assigning a customer, returning a silent console's chats): calls to operators are one
/// way, so no call cycle can form. Every change is written before the call returns; only then is it
/// pushed to browsers. The messages are kept in a <see cref="Transcript"/> of their own, in the same
/// storage: a message writes its page only; a change of state with a system line writes the page first,
/// then the state, so a failure between the two leaves at most a stray line, never a state without it.
/// </remarks>
public sealed class CustomerSessionGrain(
    [PersistentState("session", StorageNames.Sessions)] IPersistentState<SessionState> state,
    [FromKeyedServices(StorageNames.Sessions)] IGrainStorage sessionStorage,
    PushDispatcher push,
    IOptions<LanguageOptions> languages,
    IOptions<ChatMessageLimitOptions> messageLimits,
    IOptions<EndedChatOptions> endedChats,
    HelpCatalog catalog,
    [FromKeyedServices(SupportClock.Key)] TimeProvider clock,
    TimeProvider systemClock) : Grain, ICustomerSessionGrain
{
    /// <summary>Per side of the chat: a flood from one customer or operator is refused, nobody else slowed.</summary>
    private readonly RateLimit _customerMessages = new(messageLimits.Value.CustomerPerSecond, messageLimits.Value.CustomerBurst);
    private readonly RateLimit _operatorMessages = new(messageLimits.Value.OperatorPerSecond, messageLimits.Value.OperatorBurst);

    private SessionState S => state.State;

    private Transcript _transcript = null!;

    /// <summary>
    /// When the customer last called, in this activation (none known: MinValue). A queue or operator that
    /// found the customer gone since some time must not act on it if the customer has called since. On the
    /// silo's own clock, as theirs are: presence is real absence, not a time of the support clock.
    /// </summary>
    private DateTimeOffset _lastCustomerCall = DateTimeOffset.MinValue;

    /// <summary>Where the customer's pages are, and the serving operator's consoles: the session's pushes go there.</summary>
    private readonly HoldingFrontends _customerFrontends = new();
    private readonly HoldingFrontends _operatorFrontends = new();

    private Guid SessionId => this.GetPrimaryKey();

    private IQueueGrain Queue => GrainFactory.GetGrain<IQueueGrain>(S.Language);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _transcript = new Transcript(sessionStorage, this.GetGrainId());
        if (S.Status != SessionStatus.New)
        {
            await _transcript.LoadAsync();
        }
    }

    public async Task<SessionView> Start(string language, string? questionId, byte[] secretHash)
    {
        EnsureUsable();
        languages.Value.EnsureKnown(language);
        if (questionId is not null)
        {
            catalog.EnsureQuestion(questionId);
        }

        if (S.Status != SessionStatus.New)
        {
            throw new SupportException("session-exists", "This session has already been started.");
        }

        if (secretHash is not { Length: 32 })
        {
            throw new SupportException("bad-secret", "The session secret is malformed.");
        }

        S.Language = language;
        S.QuestionId = questionId;
        S.SecretHash = secretHash;
        S.Status = SessionStatus.Browsing;
        await SaveAsync();
        _customerFrontends.Set(CallingFrontend.Current is { } frontend ? [frontend] : null);
        _operatorFrontends.Set([]);
        return View(place: null, afterSequence: 0);
    }

    public async Task<SessionView> Resume(byte[] secret, long afterSequence)
    {
        EnsureCustomer(secret);
        _customerFrontends.Add(CallingFrontend.Current);
        QueuePlace? place = null;
        if (S.Status == SessionStatus.Queued)
        {
            // Also repairs the one gap a crash can leave: taken from the line, never assigned.
            place = await Queue.GetPlace(SessionId)
                ?? await Queue.Enqueue(SessionId, S.WaitingSince ?? clock.GetUtcNow());
        }

        return View(place, afterSequence);
    }

    public async Task<SessionView> ChooseQuestion(byte[] secret, string questionId)
    {
        EnsureCustomer(secret);
        catalog.EnsureQuestion(questionId);
        if (S.Status is not (SessionStatus.Browsing or SessionStatus.Queued))
        {
            throw WrongState("The question can be changed only before an operator joins.");
        }

        S.QuestionId = questionId;
        await SaveAsync();
        return View(place: null, afterSequence: _transcript.Count);
    }

    public async Task<QueuePlace> RequestOperator(byte[] secret)
    {
        EnsureCustomer(secret);
        switch (S.Status)
        {
            case SessionStatus.Queued:
                return await Queue.Enqueue(SessionId, S.WaitingSince ?? clock.GetUtcNow());
            case SessionStatus.Browsing:
                break;
            default:
                throw WrongState("An operator can be requested only while browsing help.");
        }

        if (S.QuestionId is null)
        {
            throw new SupportException("no-question", "Choose your question first.");
        }

        if (!catalog.EnsureQuestion(S.QuestionId).OperatorCanHandle)
        {
            throw new SupportException("question-not-for-operators", "An operator cannot help with this question; see the suggestions.");
        }

        await EnsureOpenAsync(S.Language);

        // Durable first: a session that says "queued" but is missing from the line is repaired on resume,
        // while a line entry whose session says "browsing" could never be served.
        S.Status = SessionStatus.Queued;
        S.WaitingSince = clock.GetUtcNow();
        await SaveAsync();
        try
        {
            var place = await Queue.Enqueue(SessionId, S.WaitingSince.Value);
            Publish(SessionEventKind.StatusChanged);
            return place;
        }
        catch
        {
            S.Status = SessionStatus.Browsing;
            S.WaitingSince = null;
            await SaveAsync();
            throw;
        }
    }

    public async Task<QueuePlace> MoveToFallback(byte[] secret)
    {
        EnsureCustomer(secret);
        if (S.Status is not (SessionStatus.Browsing or SessionStatus.Queued))
        {
            throw WrongState("Only a customer who is not yet chatting can change queues.");
        }

        var fallback = languages.Value.EnsureKnown(S.Language).Fallback
            ?? throw new SupportException("no-fallback", "This language has no other queue to offer.");
        await EnsureOpenAsync(fallback);
        var from = S.Language;
        if (S.Status == SessionStatus.Browsing)
        {
            S.Language = fallback;
            await SaveAsync();
            return await RequestOperator(secret);
        }

        // Join the new line before leaving the old one: a failure in between leaves the customer in
        // both (the first operator to take them wins), never in neither.
        var waitingSince = S.WaitingSince ?? clock.GetUtcNow();
        var place = await GrainFactory.GetGrain<IQueueGrain>(fallback).Enqueue(SessionId, waitingSince);
        S.Language = fallback;
        await SaveAsync();
        await GrainFactory.GetGrain<IQueueGrain>(from).Leave(SessionId);
        Publish(SessionEventKind.StatusChanged);
        return place;
    }

    public async Task<ChatMessage> SendCustomerMessage(byte[] secret, Guid clientMessageId, string text)
    {
        EnsureCustomer(secret);
        return await AppendAsync(MessageAuthor.Customer, clientMessageId, text);
    }

    public Task SetCustomerTyping(byte[] secret, bool isTyping)
    {
        EnsureCustomer(secret);
        EnsureChatting();
        PublishTyping(MessageAuthor.Customer, isTyping);
        return Task.CompletedTask;
    }

    public async Task EndByCustomer(byte[] secret)
    {
        EnsureCustomer(secret);
        await EndAsync(SystemMessages.EndedByCustomer);
    }

    public async Task Rate(byte[] secret, int score, string? comment)
    {
        EnsureCustomer(secret);
        if (S.Status != SessionStatus.Ended)
        {
            throw WrongState("A chat can be rated once it has ended.");
        }

        if (score is < 1 or > 5 || comment?.Length > SupportLimits.MaxRatingCommentLength)
        {
            throw new SupportException("bad-rating", $"A rating is 1 to 5, with a comment of at most {SupportLimits.MaxRatingCommentLength} characters.");
        }

        if (S.Rating is not null)
        {
            throw new SupportException("already-rated", "This chat has been rated already.");
        }

        S.Rating = new ChatRating(score, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), S.ServedBy);
        await SaveAsync();
        GrainFactory.GetGrain<OrleansSupport.Dashboard.IRatingStatsGrain>(0).Add(score).Ignore();
    }

    public async Task<bool> AssignOperator(string operatorId, IFrontendObserver[]? consoles)
    {
        EnsureUsable();
        if (S.Status == SessionStatus.Chatting && S.OperatorId == operatorId)
        {
            return true;
        }

        if (S.Status != SessionStatus.Queued)
        {
            return false;
        }

        S.Status = SessionStatus.Chatting;
        S.OperatorId = operatorId;
        S.ServedBy = operatorId;
        _operatorFrontends.Set(consoles);
        var joined = AddSystemMessage(SystemMessages.OperatorJoined);
        await SaveAsync();
        Publish(SessionEventKind.StatusChanged);
        Publish(SessionEventKind.Message, joined);
        return true;
    }

    public async Task<bool> ReturnToQueue(string operatorId)
    {
        EnsureUsable();
        if (S.Status != SessionStatus.Chatting || S.OperatorId != operatorId)
        {
            return false;
        }

        // Durable first, as in RequestOperator: "queued" but missing from the line is repaired on resume.
        S.Status = SessionStatus.Queued;
        S.OperatorId = null;
        _operatorFrontends.Set([]);
        var told = AddSystemMessage(SystemMessages.OperatorLeft);
        await SaveAsync();
        await Queue.ReturnToHead(SessionId);
        Publish(SessionEventKind.StatusChanged);
        Publish(SessionEventKind.Message, told);
        return true;
    }

    public async Task<QueuePlace> TransferToQueue(string operatorId, string language)
    {
        EnsureOperator(operatorId);
        EnsureChatting();
        await EnsureOpenAsync(language);
        S.Status = SessionStatus.Queued;
        S.Language = language;
        S.OperatorId = null;
        _operatorFrontends.Set([]);
        var told = AddSystemMessage(SystemMessages.TransferredToQueue);
        await SaveAsync();
        var place = await Queue.Enqueue(SessionId, S.WaitingSince ?? clock.GetUtcNow());
        Publish(SessionEventKind.StatusChanged);
        Publish(SessionEventKind.Message, told);
        GrainFactory.GetGrain<IOperatorGrain>(operatorId).ReleaseChat(SessionId).Ignore();
        return place;
    }

    public async Task<bool> TransferToOperator(string fromOperatorId, string toOperatorId, IFrontendObserver[]? consoles)
    {
        EnsureOperator(fromOperatorId);
        EnsureChatting();
        S.OperatorId = toOperatorId;
        S.ServedBy = toOperatorId;
        _operatorFrontends.Set(consoles);
        var told = AddSystemMessage(SystemMessages.TransferredToOperator);
        await SaveAsync();
        Publish(SessionEventKind.Message, told);

        // One way (as every call to an operator): the receiving operator's grain is waiting on this call,
        // and the two operators may be handing chats to each other at the same moment.
        GrainFactory.GetGrain<IOperatorGrain>(fromOperatorId).ReleaseChat(SessionId).Ignore();
        return true;
    }

    public Task RouteOperator(string operatorId, IFrontendObserver[]? consoles)
    {
        if (string.Equals(S.OperatorId, operatorId, StringComparison.Ordinal))
        {
            _operatorFrontends.Set(consoles);
        }

        return Task.CompletedTask;
    }

    public async Task<ChatMessage> SendOperatorMessage(string operatorId, Guid clientMessageId, string text)
    {
        EnsureOperator(operatorId);
        return await AppendAsync(MessageAuthor.Operator, clientMessageId, text);
    }

    public Task SetOperatorTyping(string operatorId, bool isTyping)
    {
        EnsureOperator(operatorId);
        EnsureChatting();
        PublishTyping(MessageAuthor.Operator, isTyping);
        return Task.CompletedTask;
    }

    public async Task EndByOperator(string operatorId)
    {
        EnsureOperator(operatorId);
        await EndAsync(SystemMessages.EndedByOperator);
    }

    public async Task LeaveQueueBecauseAway(string language, DateTimeOffset awaySince)
    {
        if (_unusable || _lastCustomerCall >= awaySince)
        {
            return;
        }

        if (S.Status != SessionStatus.Queued || S.Language != language)
        {
            // Not waiting there, yet still in that line (a failure between two steps, or a leave that failed
            // after the status was stored): only the entry goes, or it would wait there for ever, skipped.
            await GrainFactory.GetGrain<IQueueGrain>(language).Leave(SessionId);
            return;
        }

        // Durable first: a session that says "browsing" but is still in the line is harmless (an operator's
        // AssignOperator fails and the next customer is tried, and the queue asks again), while a customer
        // gone from the line whose session says "queued" would be put back by the next resume.
        S.Status = SessionStatus.Browsing;
        S.WaitingSince = null;
        var told = AddSystemMessage(SystemMessages.LeftQueueAway);
        await SaveAsync();
        await Queue.Leave(SessionId, abandoned: true);
        Publish(SessionEventKind.StatusChanged);
        Publish(SessionEventKind.Message, told);
    }

    public async Task<bool> EndBecauseCustomerLeft(string operatorId, DateTimeOffset offlineSince)
    {
        EnsureUsable();
        if (S.Status != SessionStatus.Chatting || !string.Equals(S.OperatorId, operatorId, StringComparison.Ordinal))
        {
            return true;
        }

        if (_lastCustomerCall >= offlineSince)
        {
            return false;
        }

        await EndAsync(SystemMessages.CustomerLeft);
        return true;
    }

    public Task<SessionView> GetForOperator(string operatorId, long afterSequence)
    {
        EnsureOperator(operatorId);
        return Task.FromResult(View(place: null, afterSequence));
    }

    private async Task<ChatMessage> AppendAsync(MessageAuthor author, Guid clientMessageId, string text)
    {
        EnsureChatting();
        var valid = MessageText.Validate(text);
        if (clientMessageId == Guid.Empty)
        {
            throw new SupportException("bad-message-id", "Each message needs its own id.");
        }

        // A retried send (the acknowledgement was lost on the way) gets the original back, not a copy.
        var earlier = _transcript.Messages.LastOrDefault(m => m.ClientMessageId == clientMessageId && m.Author == author);
        if (earlier is not null)
        {
            return earlier;
        }

        (author == MessageAuthor.Customer ? _customerMessages : _operatorMessages).Take();
        if (_transcript.Count >= SupportLimits.MaxTranscriptMessages)
        {
            throw new SupportException("transcript-full", "This chat has reached its message limit.");
        }

        var message = new ChatMessage(_transcript.Count + 1, author, valid, clock.GetUtcNow(), clientMessageId);
        _transcript.Add(message);
        await SaveAsync(stateChanged: false);
        SupportMetrics.Messages.Add(1, new KeyValuePair<string, object?>("author", author.ToString()));

        // A sender alone on its frontend has the message from its acknowledgement: that frontend gets no push
        // of it for the sender's side (it still gets one for the other side, if it holds that too).
        var sentFrom = CallingFrontend.SenderIsAlone ? CallingFrontend.Current : null;
        var customerSide = _customerFrontends.Targets;
        var operatorSide = _operatorFrontends.Targets;
        Publish(SessionEventKind.Message, message, HoldingFrontends.Union(
            author == MessageAuthor.Customer ? HoldingFrontends.Without(customerSide, sentFrom) : customerSide,
            author == MessageAuthor.Operator ? HoldingFrontends.Without(operatorSide, sentFrom) : operatorSide));
        return message;
    }

    private async Task EndAsync((string Code, string Text) reason)
    {
        var previous = S.Status;
        if (previous == SessionStatus.Ended)
        {
            return;
        }

        if (previous == SessionStatus.Queued)
        {
            await Queue.Leave(SessionId, abandoned: true);
        }

        S.Status = SessionStatus.Ended;
        S.EndedAt = clock.GetUtcNow();
        var ended = AddSystemMessage(reason);
        await SaveAsync();
        Publish(SessionEventKind.StatusChanged);
        Publish(SessionEventKind.Message, ended);
        if (previous == SessionStatus.Chatting && S.OperatorId is { } operatorId)
        {
            GrainFactory.GetGrain<IOperatorGrain>(operatorId).ReleaseChat(SessionId).Ignore();
        }

        // An ended chat is rarely touched again (a rating, a transcript download: both read it back from
        // storage). Kept for the default 15 minutes, ended chats filled the silo's memory during a sale
        // (the 20-minute soak: 128 MB -> 1.2 GB).
        DeactivateOnIdle();
    }

    private async Task SaveAsync(bool stateChanged = true)
    {
        try
        {
            await _transcript.SaveAsync();
            if (stateChanged)
            {
                await state.WriteStateAsync();
            }
        }
        catch (Exception ex) when (ex is not SupportException)
        {
            // Memory is now ahead of storage. Go back to what was saved, so that no later call (another
            // operator's assignment, say) is answered from a change that never happened.
            try
            {
                await state.ReadStateAsync();
                await _transcript.LoadAsync();
            }
            catch (Exception)
            {
                _unusable = true;
                DeactivateOnIdle();
            }

            throw new SupportException("storage-unavailable", "The session could not be saved; please try again.");
        }
    }

    /// <summary>Set when storage could be neither written nor read back: memory can no longer be trusted.</summary>
    private bool _unusable;

    private void EnsureUsable()
    {
        if (_unusable)
        {
            throw new SupportException("storage-unavailable", "The session could not be saved; please try again.");
        }
    }

    private ChatMessage AddSystemMessage((string Code, string Text) line)
    {
        var message = new ChatMessage(_transcript.Count + 1, MessageAuthor.System, line.Text, clock.GetUtcNow(), Guid.Empty, line.Code);
        _transcript.Add(message);
        return message;
    }

    private void EnsureCustomer(byte[] secret)
    {
        EnsureUsable();
        // Same answer for "no such session", "wrong secret" and "ended too long ago": an id alone reveals
        // nothing, and an old token left in a browser opens nothing. A chat that ended before end times were
        // kept has none, and counts as ended too long ago.
        var expired = S.Status == SessionStatus.Ended
            && (S.EndedAt is not { } endedAt || clock.GetUtcNow() - endedAt > endedChats.Value.ReadableFor);
        if (S.Status == SessionStatus.New || expired || !SessionSecret.Matches(secret, S.SecretHash))
        {
            if (S.Status == SessionStatus.New || expired)
            {
                DeactivateOnIdle(); // a guessed id or an old chat: keep nothing in memory for it
            }

            throw new SupportException("unknown-session", "Unknown session.");
        }

        _lastCustomerCall = systemClock.GetUtcNow();
    }

    private void EnsureOperator(string operatorId)
    {
        EnsureUsable();
        if (S.OperatorId is null || !string.Equals(S.OperatorId, operatorId, StringComparison.Ordinal))
        {
            throw new SupportException("not-your-chat", "This chat is not assigned to you.");
        }
    }

    private void EnsureChatting()
    {
        if (S.Status != SessionStatus.Chatting)
        {
            throw WrongState("Messages can be sent only while an operator is in the chat.");
        }
    }

    private static SupportException WrongState(string message) => new("wrong-state", message);

    private async Task EnsureOpenAsync(string language)
    {
        if (!(await EffectiveHours.OfAsync(GrainFactory, languages.Value, language)).IsOpenAt(clock.GetUtcNow()))
        {
            throw new SupportException("queue-closed", "The queue for this language is closed now.");
        }
    }

    /// <summary>To both sides: the customer's pages and the serving operator's consoles.</summary>
    private void Publish(SessionEventKind kind, ChatMessage? message = null) =>
        Publish(kind, message, HoldingFrontends.Union(_customerFrontends.Targets, _operatorFrontends.Targets));

    private void Publish(SessionEventKind kind, ChatMessage? message, IFrontendObserver[]? to) =>
        push.Publish(new SessionEvent(SessionId, S.OperatorId, kind, S.Status, message, MessageAuthor.System, false), to);

    /// <summary>Typing is shown to the other side only.</summary>
    private void PublishTyping(MessageAuthor party, bool isTyping) =>
        push.Publish(
            new SessionEvent(SessionId, S.OperatorId, SessionEventKind.Typing, S.Status, null, party, isTyping),
            party == MessageAuthor.Customer ? _operatorFrontends.Targets : _customerFrontends.Targets);

    private SessionView View(QueuePlace? place, long afterSequence)
    {
        var after = (int)Math.Clamp(afterSequence, 0, _transcript.Count);
        return new SessionView(
            SessionId, S.Status, S.Language, place, S.OperatorId, [.. _transcript.Messages.Skip(after)], _transcript.Count, S.QuestionId, S.Rating);
    }
}
