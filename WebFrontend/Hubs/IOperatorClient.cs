using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>What the server calls on an operator's browser.</summary>
public interface IOperatorClient
{
    /// <summary>Pushes to this page may have been lost: fetch the latest within a random part of the spread.</summary>
    Task CatchUp(int spreadMilliseconds);

    Task ChatAssigned(Guid sessionId);

    Task ChatEnded(Guid sessionId);

    /// <summary>The customer of that chat has no connection any more (the chat ends if they stay away).</summary>
    Task CustomerOffline(Guid sessionId);

    /// <summary>The customer of that chat is connected again.</summary>
    Task CustomerOnline(Guid sessionId);

    Task Message(Guid sessionId, ChatMessage message);

    /// <summary>The customer of that chat started or stopped typing.</summary>
    Task Typing(Guid sessionId, bool isTyping);
}
