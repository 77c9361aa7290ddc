using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Email;
using OrleansSupport.Operators;
using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// The operator's connection: sign in with the languages and capacity served, then take and serve chats.
/// Every chat call is checked by the session grain against the operator it is assigned to.
/// </summary>
/// <remarks>Accounts and login arrive with the operator console (issue #5); until then the id is trusted.</remarks>
public sealed partial class OperatorHub(IGrainFactory grains) : Hub<IOperatorClient>
{
    private const string OperatorKey = "operator";

    public static string GroupOf(string operatorId) => $"o:{operatorId}";

    public async Task<OperatorView> SignIn(string operatorId, string[] languages, int capacity)
    {
        if (string.IsNullOrEmpty(operatorId) || operatorId.Length > SupportLimits.MaxOperatorIdLength || !OperatorIdPattern().IsMatch(operatorId))
        {
            throw new SupportException("bad-operator-id", "An operator id is 1-64 letters, digits, '.', '_' or '-'.");
        }

        if (Context.Items.TryGetValue(OperatorKey, out var bound) && !Equals(bound, operatorId))
        {
            throw new SupportException("signed-in", "This connection is signed in as another operator.");
        }

        var view = await grains.GetGrain<IOperatorGrain>(operatorId).Configure(languages ?? [], capacity);
        Context.Items[OperatorKey] = operatorId;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(operatorId));
        return view;
    }

    public Task<OperatorView> SetAvailable(bool available) => Operator().SetAvailable(available);

    public Task<Guid?> AcceptNext() => Operator().AcceptNext();

    public Task<OperatorView> GetStatus() => Operator().GetView();

    public Task<SessionView> GetChat(Guid sessionId, long afterSequence) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).GetForOperator(SignedIn(), afterSequence);

    public Task<ChatMessage> SendMessage(Guid sessionId, Guid clientMessageId, string text) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).SendOperatorMessage(SignedIn(), clientMessageId, MessageText.Validate(text));

    public Task Typing(Guid sessionId, bool isTyping) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).SetOperatorTyping(SignedIn(), isTyping);

    public Task EndChat(Guid sessionId) =>
        grains.GetGrain<ICustomerSessionGrain>(sessionId).EndByOperator(SignedIn());

    /// <summary>The "Email us" requests, oldest first.</summary>
    public Task<EmailRequest[]> GetEmailRequests()
    {
        SignedIn();
        return grains.GetGrain<IEmailInboxGrain>(0).List();
    }

    private IOperatorGrain Operator() => grains.GetGrain<IOperatorGrain>(SignedIn());

    private string SignedIn() =>
        Context.Items.TryGetValue(OperatorKey, out var bound) && bound is string id
            ? id
            : throw new SupportException("not-signed-in", "Sign in first.");

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex OperatorIdPattern();
}
