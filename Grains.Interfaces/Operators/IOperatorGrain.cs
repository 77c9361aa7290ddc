using OrleansSupport.Sessions;

namespace OrleansSupport.Operators;

/// <summary>One operator (key: the operator's account id): languages served, capacity, active chats.</summary>
[Alias("OrleansSupport.Operators.IOperatorGrain")]
public interface IOperatorGrain : IGrainWithStringKey
{
    [Alias("Configure")]
    Task<OperatorView> Configure(string[] languages, int capacity);

    /// <summary>Available operators are given the longest-waiting customer whenever they have room.</summary>
    [Alias("SetAvailable")]
    Task<OperatorView> SetAvailable(bool available);

    /// <summary>Takes the longest-waiting customer across the operator's languages; null when none waits.</summary>
    [Alias("AcceptNext")]
    Task<Guid?> AcceptNext();

    [Alias("GetView")]
    Task<OperatorView> GetView();

    /// <summary>A supervisor changes how many chats this operator takes at once; open chats stay.</summary>
    [Alias("SetCapacity")]
    Task<OperatorView> SetCapacity(int capacity);

    /// <summary>
    /// A chat of this operator ended, or moved to another queue or operator: frees its place. One way,
    /// because the operator grain calls sessions and waits for them (taking a customer, returning the
    /// chats of a silent console): a session waiting on its operator at that moment would wait for ever.
    /// </summary>
    [OneWay, Alias("ReleaseChat")]
    Task ReleaseChat(Guid sessionId);

    /// <summary>
    /// The operator's console is still there (sent every few seconds by each open console). An operator
    /// not heard from for the grace period has their chats returned to the head of their queues.
    /// </summary>
    [Alias("Heartbeat")]
    Task Heartbeat();

    /// <summary>
    /// Another operator hands over a chat: taken when this operator works and has room. The session
    /// then tells the other operator, one way, that the chat has moved.
    /// </summary>
    [Alias("TakeTransfer")]
    Task TakeTransfer(Guid sessionId, string fromOperatorId);

    /// <summary>A queue tells an idle operator that someone started waiting.</summary>
    [OneWay, Alias("WorkAvailable")]
    Task WorkAvailable();
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.OperatorView")]
public sealed record OperatorView(
    [property: Id(0)] string OperatorId,
    [property: Id(1)] string[] Languages,
    [property: Id(2)] int Capacity,
    [property: Id(3)] bool Available,
    [property: Id(4)] Guid[] ActiveChats,
    [property: Id(5)] bool Online = false)
{
    /// <summary>The active chats whose customer has no connection now (the chat ends if they stay away).</summary>
    [Id(6)]
    public Guid[] OfflineChats { get; init; } = [];
}
