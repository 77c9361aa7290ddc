namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// How many customers this frontend is admitting right now: starting a session, joining a queue, resuming.
/// Refreshing numbers already on screen gives way while any are (see QueueNumbers).
/// </summary>
public sealed class Admissions
{
    private int _inFlight;

    public bool Any => Volatile.Read(ref _inFlight) > 0;

    /// <summary>Counts one admission until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new Scope(this);
    }

    public readonly struct Scope(Admissions admissions) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref admissions._inFlight);
    }
}
