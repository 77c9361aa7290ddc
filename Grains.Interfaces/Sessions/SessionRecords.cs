namespace OrleansSupport.Sessions;

[GenerateSerializer, Alias("OrleansSupport.SessionStatus")]
public enum SessionStatus
{
    New = 0,
    Browsing = 1,
    Queued = 2,
    Chatting = 3,
    Ended = 4,
}

[GenerateSerializer, Alias("OrleansSupport.MessageAuthor")]
public enum MessageAuthor
{
    System = 0,
    Customer = 1,
    Operator = 2,
}

/// <summary>
/// One line of a transcript. <see cref="Sequence"/> counts from 1 per session, without gaps. A system line
/// also carries a <see cref="Code"/> (see <see cref="SystemMessages"/>) so pages can show it in their language.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] long Sequence,
    [property: Id(1)] MessageAuthor Author,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset SentAt,
    [property: Id(4)] Guid ClientMessageId,
    [property: Id(5)] string? Code = null);

/// <summary>The system lines of a transcript: a stable code and the English text.</summary>
public static class SystemMessages
{
    public static readonly (string Code, string Text) OperatorJoined = ("operator-joined", "An operator has joined the chat.");
    public static readonly (string Code, string Text) EndedByCustomer = ("ended-by-customer", "The customer ended the chat.");
    public static readonly (string Code, string Text) EndedByOperator = ("ended-by-operator", "The operator ended the chat.");
    public static readonly (string Code, string Text) TransferredToQueue = ("transferred-to-queue", "You have been transferred to another queue. You keep your waiting time.");
    public static readonly (string Code, string Text) TransferredToOperator = ("transferred-to-operator", "You have been transferred to another operator.");
    public static readonly (string Code, string Text) OperatorLeft = ("operator-left", "The operator was disconnected. You are back at the front of the queue.");
    public static readonly (string Code, string Text) LeftQueueAway = ("left-queue-away", "You left the queue because you were away for a while. You can join again; you will be at the back of the queue.");
    public static readonly (string Code, string Text) CustomerLeft = ("customer-left", "The customer left the chat.");
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.SessionView")]
public sealed record SessionView(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] SessionStatus Status,
    [property: Id(2)] string Language,
    [property: Id(3)] QueuePlace? Place,
    [property: Id(4)] string? OperatorId,
    [property: Id(5)] ChatMessage[] Messages,
    [property: Id(6)] long LastSequence,
    [property: Id(7)] string? QuestionId,
    [property: Id(8)] ChatRating? Rating = null);

[GenerateSerializer, Immutable, Alias("OrleansSupport.ChatRating")]
public sealed record ChatRating(
    [property: Id(0)] int Score,
    [property: Id(1)] string? Comment,
    [property: Id(2)] string? OperatorId);
