using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>What the server calls on an operator's browser.</summary>
public interface IOperatorClient
{
    Task ChatAssigned(Guid sessionId);

    Task ChatEnded(Guid sessionId);

    Task Message(Guid sessionId, ChatMessage message);

    /// <summary>The customer of that chat started or stopped typing.</summary>
    Task Typing(Guid sessionId, bool isTyping);
}
