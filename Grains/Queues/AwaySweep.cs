namespace OrleansSupport.Queues;

/// <summary>
/// What a sweep of <see cref="AwayWaiters"/> found: waiters who were away and are connected again (an idle
/// operator may take them now), and waiters gone past the grace, each with the time they were first found
/// gone, for the queue to ask to leave (the session checks that its customer made no call since).
/// </summary>
public sealed record AwaySweep(IReadOnlyList<Guid> Returned, IReadOnlyList<(Guid SessionId, DateTimeOffset AwaySince)> ToLeave)
{
    public static readonly AwaySweep Nothing = new([], []);
}
