using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>What the server calls on a customer's browser.</summary>
public interface ICustomerClient
{
    /// <summary>Pushes to this page may have been lost: fetch the latest within a random part of the spread.</summary>
    Task CatchUp(int spreadMilliseconds);

    /// <summary>The customer's number in the queue changed (sent at most twice a second).</summary>
    Task QueuePosition(QueuePlace place);

    Task Message(ChatMessage message);

    Task StatusChanged(SessionStatus status);

    /// <summary>The operator started or stopped typing.</summary>
    Task Typing(bool isTyping);

    /// <summary>The customer's queue has closed while they wait; the fallback queue is offered.</summary>
    Task QueueClosed(QueueClosedNotice notice);
}

public sealed record QueueClosedNotice(string Language, string? Fallback, bool FallbackOpen);
