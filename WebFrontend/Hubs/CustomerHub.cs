using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansSupport.Sessions;
using OrleansSupport.WebFrontend.Limits;
using OrleansSupport.WebFrontend.Push;
using OrleansSupport.WebFrontend.Queues;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// The customer's connection. Thin: checks input, forwards to the session grain. A connection is bound
/// to one session by <see cref="StartSession"/> or <see cref="Resume"/>; every later call acts on that
/// session only, so no call names a session it was not given the secret of.
/// </summary>
public sealed class CustomerHub(
    IGrainFactory grains, CustomerConnections connections, QueueNumbers numbers, Admissions admissions,
    SenderConnections senders, ConnectionOutboxes outboxes, IOptions<LanguageOptions> languages, SupportLimiters limiters)
    : Hub<ICustomerClient>
{
    private const string SessionKey = "session";

    public static string GroupOf(Guid sessionId) => $"s:{sessionId:N}";

    /// <summary>
    /// What the customer's page gets of a session: no operator's login name (half of what a password
    /// guesser needs), neither of the serving operator nor in the rating.
    /// </summary>
    private static SessionView ForCustomer(SessionView view) =>
        view with { OperatorId = null, Rating = view.Rating is { } rating ? rating with { OperatorId = null } : null };

    public async Task<SessionStarted> StartSession(string language, string? questionId)
    {
        languages.Value.EnsureKnown(language);
        if (Context.Items.ContainsKey(SessionKey))
        {
            throw new SupportException("session-exists", "This connection already has a session.");
        }

        EnsureAllowed(limiters.Sessions, "sessions", "new chats");
        using var admitting = admissions.Begin();
        var token = SessionToken.CreateNew();
        var view = await Session(token).Start(language, questionId, SessionSecret.Hash(token.Secret));
        await BindAsync(token, view);
        return new SessionStarted(token.ToString(), ForCustomer(view));
    }

    public async Task<SessionView> Resume(string sessionToken, long afterSequence)
    {
        var token = SessionToken.Parse(sessionToken);
        if (BoundSessionId(Context) != token.SessionId)
        {
            // Limits guessing and reconnects; a connection that already proved this session's secret
            // (filling a gap, downloading the transcript) is not guessing.
            EnsureAllowed(limiters.Resumes, "resumes", "reconnects");
        }

        using var admitting = admissions.Begin();
        var view = await Session(token).Resume(token.Secret, afterSequence);
        await BindAsync(token, view);
        return ForCustomer(view);
    }

    /// <summary>livechat_help: join the queue of the session's language.</summary>
    public async Task<QueuePlace> RequestOperator()
    {
        var token = Bound();
        using var admitting = admissions.Begin();
        var place = await Session(token).RequestOperator(token.Secret);
        numbers.Watch(token.SessionId, place);
        return place;
    }

    /// <summary>The customer picks another question from the list in the chat window.</summary>
    public async Task<SessionView> ChooseQuestion(string questionId)
    {
        var token = Bound();
        return ForCustomer(await Session(token).ChooseQuestion(token.Secret, questionId));
    }

    /// <summary>Their language's queue is closed: wait in the fallback queue, keeping the waiting time.</summary>
    public async Task<QueuePlace> MoveToFallback()
    {
        var token = Bound();
        using var admitting = admissions.Begin();
        var place = await Session(token).MoveToFallback(token.Secret);
        numbers.Watch(token.SessionId, place);
        return place;
    }

    public Task<ChatMessage> SendMessage(Guid clientMessageId, string text)
    {
        var token = Bound();
        var valid = MessageText.Validate(text);
        return senders.SendingAsync(token.SessionId, clientMessageId, Context.ConnectionId,
            connections.IsOnlyConnection(token.SessionId, Context.ConnectionId),
            () => Session(token).SendCustomerMessage(token.Secret, clientMessageId, valid));
    }

    public Task Typing(bool isTyping)
    {
        var token = Bound();
        return Session(token).SetCustomerTyping(token.Secret, isTyping);
    }

    /// <summary>Rate the ended chat: 1-5 and an optional comment.</summary>
    public Task Rate(int score, string? comment)
    {
        var token = Bound();
        return Session(token).Rate(token.Secret, score, comment);
    }

    /// <summary>Leave the queue or end the chat.</summary>
    public Task End()
    {
        var token = Bound();
        return Session(token).EndByCustomer(token.Secret);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (BoundToken(Context) is { } token)
        {
            if (connections.Remove(token.SessionId, Context.ConnectionId))
            {
                numbers.Forget(token.SessionId); // nobody here to show a number to
            }

            outboxes.Close(Context.ConnectionId);
        }

        return base.OnDisconnectedAsync(exception);
    }

    private async Task BindAsync(SessionToken token, SessionView view)
    {
        if (BoundToken(Context) is { } old && old.SessionId != token.SessionId)
        {
            throw new SupportException("session-exists", "This connection already has another session.");
        }

        Context.Items[SessionKey] = token;
        outboxes.Open(Context);
        connections.Add(token.SessionId, Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(token.SessionId));
        if (view.Place is { } place)
        {
            numbers.Watch(token.SessionId, place);
        }
    }

    /// <summary>
    /// New chats and resumes, per browser (client-id cookie) and per address. Checked after the cheap
    /// input checks, so a mistyped language or a malformed token costs no permit, and before the grain,
    /// so a refused call creates and activates nothing.
    /// </summary>
    private void EnsureAllowed(KeyAndAddressLimiter limiter, string name, string what)
    {
        var http = Context.GetHttpContext();
        var clientId = http is null ? null : ClientIdCookie.Of(http);
        if (limiter.TryAcquire(clientId, http?.Connection.RemoteIpAddress) is { } refusal)
        {
            HttpLimits.Count(name);
            var who = refusal.ByAddress ? "this network" : "this browser";
            throw new SupportException("rate-limited", $"Too many {what} from {who}; please try again {refusal.WaitText}.");
        }
    }

    /// <summary>The session this connection was bound to, if any (the call limits count per session).</summary>
    public static Guid? BoundSessionId(HubCallerContext context) => BoundToken(context)?.SessionId;

    private static SessionToken? BoundToken(HubCallerContext context) =>
        context.Items.TryGetValue(SessionKey, out var bound) ? bound as SessionToken : null;

    private SessionToken Bound() =>
        BoundToken(Context) ?? throw new SupportException("no-session", "Start or resume a session first.");

    private ICustomerSessionGrain Session(SessionToken token) => grains.GetGrain<ICustomerSessionGrain>(token.SessionId);
}

/// <summary>The answer to <see cref="CustomerHub.StartSession"/>: keep the token to resume later.</summary>
public sealed record SessionStarted(string SessionToken, SessionView Session);
