namespace OrleansSupport.Sessions;

/// <summary>
/// A token bucket: up to <c>burst</c> actions at once, refilled at <c>perSecond</c> from the time since it
/// was last asked, so no timer has to walk the buckets. Kept in a grain's memory, so it limits one
/// session or one operator, not an IP address shared by a whole carrier; the frontend's hub call limits
/// keep one per key. Not thread-safe: a grain is single-threaded, other callers lock it.
/// </summary>
public sealed class RateLimit
{
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _refilledAt = TimeProvider.System.GetTimestamp();

    public RateLimit(double perSecond, double burst) => (_perSecond, _burst, _tokens) = (perSecond, burst, burst);

    /// <summary>When a token was last asked for (a <see cref="TimeProvider.System"/> timestamp).</summary>
    public long LastAskedAt => Volatile.Read(ref _refilledAt);

    /// <summary>Takes one token, or refuses with a clear "rate-limited" error.</summary>
    public void Take()
    {
        if (TryTake() is not null)
        {
            throw new SupportException("rate-limited", "Too many messages at once; please wait a moment.");
        }
    }

    /// <summary>Takes one token: null when taken, else how long until one is back.</summary>
    public TimeSpan? TryTake()
    {
        var now = TimeProvider.System.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (TimeProvider.System.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        Volatile.Write(ref _refilledAt, now);
        if (_tokens < 1)
        {
            return TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
        }

        _tokens--;
        return null;
    }
}
