using OrleansSupport.Push;

namespace OrleansSupport.Sessions;

/// <summary>
/// One customer's support session (key: a random Guid). Every call from the customer's side carries the
/// session's secret, checked here, so knowing a session id grants nothing.
/// </summary>
[Alias("OrleansSupport.Sessions.ICustomerSessionGrain")]
public interface ICustomerSessionGrain : IGrainWithGuidKey
{
    /// <summary>Opens the session: a language and, from the help center, the question the customer chose.</summary>
    [Alias("Start")]
    Task<SessionView> Start(string language, string? questionId, byte[] secretHash);

    /// <summary>The customer picks another question in the chat window (before an operator joins).</summary>
    [Alias("ChooseQuestion")]
    Task<SessionView> ChooseQuestion(byte[] secret, string questionId);

    /// <summary>
    /// Moves to the language's fallback queue (its own is closed). A waiting customer keeps their waiting
    /// time, so they are placed among the fallback queue's customers by how long they have waited.
    /// </summary>
    [Alias("MoveToFallback")]
    Task<QueuePlace> MoveToFallback(byte[] secret);

    /// <summary>Reconnect or refresh: the state and the transcript after <paramref name="afterSequence"/>.</summary>
    [Alias("Resume")]
    Task<SessionView> Resume(byte[] secret, long afterSequence);

    /// <summary>The customer asks for a live operator (livechat_help): they join the language's line.</summary>
    [Alias("RequestOperator")]
    Task<QueuePlace> RequestOperator(byte[] secret);

    [Alias("SendCustomerMessage")]
    Task<ChatMessage> SendCustomerMessage(byte[] secret, Guid clientMessageId, string text);

    [Alias("SetCustomerTyping")]
    Task SetCustomerTyping(byte[] secret, bool isTyping);

    /// <summary>The customer leaves the line or ends the chat.</summary>
    [Alias("EndByCustomer")]
    Task EndByCustomer(byte[] secret);

    /// <summary>The customer rates the ended chat (1-5 and an optional comment), once.</summary>
    [Alias("Rate")]
    Task Rate(byte[] secret, int score, string? comment);

    /// <summary>
    /// Called by the operator grain after it took this customer from the line, with the frontends holding
    /// the operator's consoles (null: not known), where the chat's pushes for the operator go.
    /// </summary>
    [Alias("AssignOperator")]
    Task<bool> AssignOperator(string operatorId, IFrontendObserver[]? consoles);

    /// <summary>
    /// From the serving operator's grain: its consoles are on other frontends now (as in <see cref="AssignOperator"/>).
    /// Ignored if <paramref name="operatorId"/> no longer serves the chat.
    /// </summary>
    [OneWay, Alias("RouteOperator")]
    Task RouteOperator(string operatorId, IFrontendObserver[]? consoles);

    [Alias("SendOperatorMessage")]
    Task<ChatMessage> SendOperatorMessage(string operatorId, Guid clientMessageId, string text);

    [Alias("SetOperatorTyping")]
    Task SetOperatorTyping(string operatorId, bool isTyping);

    /// <summary>
    /// The serving operator dropped: the customer goes back to the head of their queue, told so, with
    /// the transcript kept. False when this operator no longer serves the chat.
    /// </summary>
    [Alias("ReturnToQueue")]
    Task<bool> ReturnToQueue(string operatorId);

    /// <summary>The operator sends the customer to another language's queue; they keep their waiting time.</summary>
    [Alias("TransferToQueue")]
    Task<QueuePlace> TransferToQueue(string operatorId, string language);

    /// <summary>Called by the receiving operator's grain: the chat moves to that operator.</summary>
    [Alias("TransferToOperator")]
    Task<bool> TransferToOperator(string fromOperatorId, string toOperatorId, IFrontendObserver[]? consoles);

    [Alias("EndByOperator")]
    Task EndByOperator(string operatorId);

    /// <summary>
    /// The queue of <paramref name="language"/> found the customer gone since <paramref name="awaySince"/>, past
    /// the grace: they leave the line as abandoned, and are told when they come back. Nothing happens if the
    /// customer made a call since (they are back) or is not waiting in that queue (an entry left over from a
    /// failure is removed). One way, because a queue never waits on a session.
    /// </summary>
    [OneWay, Alias("LeaveQueueBecauseAway")]
    Task LeaveQueueBecauseAway(string language, DateTimeOffset awaySince);

    /// <summary>
    /// The serving operator's customer has been offline since <paramref name="offlineSince"/>, past the grace:
    /// the chat ends as "customer left". False when the customer made a call since (the chat goes on); true
    /// when the chat ended now or is no longer this operator's anyway.
    /// </summary>
    [Alias("EndBecauseCustomerLeft")]
    Task<bool> EndBecauseCustomerLeft(string operatorId, DateTimeOffset offlineSince);

    /// <summary>The operator's view of the chat they serve.</summary>
    [Alias("GetForOperator")]
    Task<SessionView> GetForOperator(string operatorId, long afterSequence);
}
