namespace OrleansSupport.Presence;

/// <summary>
/// What the frontends said about some customer sessions. <see cref="Connected"/> is certain: a frontend holds
/// a connection of each. The rest are gone only if the answer is <see cref="Conclusive"/>, that is every live
/// frontend answered (or has been silent so long that it is taken for dead); otherwise a frontend that did not
/// answer may hold them, and nobody may be taken for gone on this answer.
/// </summary>
public sealed record PresenceAnswer(IReadOnlySet<Guid> Connected, bool Conclusive)
{
    public bool IsConnected(Guid sessionId) => Connected.Contains(sessionId);

    /// <summary>Known to have no connection anywhere.</summary>
    public bool IsGone(Guid sessionId) => Conclusive && !Connected.Contains(sessionId);
}
