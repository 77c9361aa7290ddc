using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansSupport.Email;
using OrleansSupport.Operators;
using OrleansSupport.Sessions;
using OrleansSupport.WebFrontend.Accounts;
using OrleansSupport.WebFrontend.Push;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// The operator's connection, for logged-in operators and supervisors only: the operator is the account
/// of the login cookie. Start with the languages and capacity served, then take and serve chats. Every
/// chat call is checked by the session grain against the operator it is assigned to.
/// </summary>
[Authorize(Roles = SupportRoles.Staff)]
public sealed class OperatorHub(
    IGrainFactory grains, SenderConnections senders, OperatorConnections consoles, ConnectionOutboxes outboxes,
    AccountConnections accountConnections, IOptions<LanguageOptions> languages) : Hub<IOperatorClient>
{
    private const string StartedKey = "started";

    /// <summary>Begins work on this connection: languages served and how many chats at once.</summary>
    public async Task<OperatorView> SignIn(string[] languages, int capacity)
    {
        var view = await grains.GetGrain<IOperatorGrain>(OperatorId).Configure(languages ?? [], capacity);
        if (Context.Items.TryAdd(StartedKey, true))
        {
            consoles.Add(OperatorId, Context.ConnectionId);
        }

        return view;
    }

    // Every connection has its outbox from the start, so a sign-out can close it before it starts work.
    public override Task OnConnectedAsync()
    {
        outboxes.Open(Context);
        accountConnections.Add(OperatorId, Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        accountConnections.Remove(OperatorId, Context.ConnectionId);
        outboxes.Close(Context.ConnectionId);
        if (Context.Items.ContainsKey(StartedKey))
        {
            consoles.Remove(OperatorId, Context.ConnectionId);
        }

        return base.OnDisconnectedAsync(exception);
    }

    public Task<OperatorView> SetAvailable(bool available) => Operator().SetAvailable(available);

    /// <summary>The console is still open; sent every few seconds (see OperatorPresenceOptions).</summary>
    public Task Heartbeat() => Operator().Heartbeat();

    public Task<Guid?> AcceptNext() => Operator().AcceptNext();

    public Task<OperatorView> GetStatus() => Operator().GetView();

    public Task<SessionView> GetChat(Guid sessionId, long afterSequence) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).GetForOperator(SignedIn(), afterSequence);

    public Task<ChatMessage> SendMessage(Guid sessionId, Guid clientMessageId, string text)
    {
        var operatorId = SignedIn();
        var valid = MessageText.Validate(text);
        return senders.SendingAsync(sessionId, clientMessageId, Context.ConnectionId,
            consoles.IsOnlyConnection(operatorId, Context.ConnectionId),
            () => grains.GetGrain<ICustomerSessionGrain>(sessionId).SendOperatorMessage(operatorId, clientMessageId, valid));
    }

    public Task Typing(Guid sessionId, bool isTyping) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).SetOperatorTyping(SignedIn(), isTyping);

    /// <summary>Sends the customer to another language's queue; they keep their waiting time.</summary>
    public Task TransferToQueue(Guid sessionId, string language) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).TransferToQueue(SignedIn(), language);

    /// <summary>Hands the chat to another operator, who must be working and have room.</summary>
    public Task TransferToOperator(Guid sessionId, string operatorUserName)
    {
        var from = SignedIn();
        var to = AccountRules.Normalize(operatorUserName);
        if (!AccountRules.IsUserName(to))
        {
            throw new SupportException("unknown-operator", "No operator works under that name.");
        }

        return grains.GetGrain<IOperatorGrain>(to).TakeTransfer(sessionId, from);
    }

    public Task EndChat(Guid sessionId) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).EndByOperator(SignedIn());

    /// <summary>
    /// A page of the "Email us" requests, oldest first, after the one whose reference is
    /// <paramref name="after"/> (null: the first page); a full page means there may be more.
    /// </summary>
    public Task<EmailRequest[]> GetEmailRequests(string? after)
    {
        SignedIn();
        return grains.GetGrain<IEmailInboxGrain>(0).Page(after, EmailInboxOptions.PageSize);
    }

    /// <summary>One request, as stored now (after an answer whose reply was lost, say).</summary>
    public Task<EmailRequest?> GetEmailRequest(string reference)
    {
        SignedIn();
        return grains.GetGrain<IEmailInboxGrain>(0).Get(reference);
    }

    /// <summary>Answers an e-mail request and closes it; the answer is kept with the request.</summary>
    public Task<EmailRequest> AnswerEmailRequest(string reference, string answer) =>
        grains.GetGrain<IEmailInboxGrain>(0).Answer(reference, SignedIn(), answer);

    public Task<string[]> GetCannedReplies(string language) => grains.GetGrain<ICannedRepliesGrain>(Known(language)).Get();

    public Task<string[]> SetCannedReplies(string language, string[] replies) =>
        grains.GetGrain<ICannedRepliesGrain>(Known(language)).Set(replies);

    private string Known(string language)
    {
        SignedIn();
        return languages.Value.EnsureKnown(language).Code;
    }

    private string OperatorId => Context.User!.Identity!.Name!;

    private IOperatorGrain Operator() => grains.GetGrain<IOperatorGrain>(SignedIn());

    /// <summary>The operator, once this connection has begun work with <see cref="SignIn"/>.</summary>
    private string SignedIn() =>
        Context.Items.ContainsKey(StartedKey) ? OperatorId : throw new SupportException("not-signed-in", "Sign in first.");
}
