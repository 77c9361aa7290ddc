using OrleansSupport.Sessions;

using OrleansSupport.Queues;

namespace OrleansSupport.Push;

[GenerateSerializer, Alias("OrleansSupport.SessionEventKind")]
public enum SessionEventKind
{
    Message = 0,
    Typing = 1,
    StatusChanged = 2,
}

/// <summary>Something the customer's browser and the serving operator must see.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.SessionEvent")]
public sealed record SessionEvent(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] string? OperatorId,
    [property: Id(2)] SessionEventKind Kind,
    [property: Id(3)] SessionStatus Status,
    [property: Id(4)] ChatMessage? Message,
    [property: Id(5)] MessageAuthor TypingParty,
    [property: Id(6)] bool IsTyping);

[GenerateSerializer, Alias("OrleansSupport.OperatorEventKind")]
public enum OperatorEventKind
{
    ChatAssigned = 0,
    ChatEnded = 1,

    /// <summary>The frontends hold no connection of the chat's customer any more.</summary>
    CustomerOffline = 2,

    /// <summary>The chat's customer, offline before, is connected again.</summary>
    CustomerOnline = 3,

    /// <summary>The account signed out everywhere: its consoles close now, not at their next call.</summary>
    SignedOut = 4,
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.OperatorEvent")]
public sealed record OperatorEvent(
    [property: Id(0)] string OperatorId,
    [property: Id(1)] OperatorEventKind Kind,
    [property: Id(2)] Guid SessionId);

[GenerateSerializer, Immutable, Alias("OrleansSupport.PushBatch")]
public sealed record PushBatch(
    [property: Id(0)] QueueDelta[] QueueDeltas,
    [property: Id(1)] SessionEvent[] SessionEvents,
    [property: Id(2)] OperatorEvent[] OperatorEvents)
{
    /// <summary>
    /// The silo may have lost batches meant for this frontend before this one (its line overflowed, or a
    /// call failed or timed out): the frontend's pages must catch up by sequence, as after a silo restart.
    /// </summary>
    [Id(3)]
    public bool FollowsLoss { get; init; }

    /// <summary>
    /// Several batches as one, each kind of item kept in publishing order (a frontend handles a batch's
    /// deltas, then its session events, then its operator events, so nothing relies on order across kinds).
    /// </summary>
    public static PushBatch Concat(IReadOnlyList<PushBatch> batches) => batches.Count == 1
        ? batches[0]
        : new([.. batches.SelectMany(b => b.QueueDeltas)], [.. batches.SelectMany(b => b.SessionEvents)], [.. batches.SelectMany(b => b.OperatorEvents)])
        {
            FollowsLoss = batches.Any(b => b.FollowsLoss),
        };
}
