namespace OrleansSupport.Sessions;

/// <summary>
/// A token bucket: up to <c>burst</c> actions at once, refilled at <c>perSecond</c>. Kept in a grain's
/// memory, so it limits one session or one operator, not an IP address shared by a whole carrier.
/// </summary>
public sealed class RateLimit
{
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _refilledAt = TimeProvider.System.GetTimestamp();

    public RateLimit(double perSecond, double burst) => (_perSecond, _burst, _tokens) = (perSecond, burst, burst);

    /// <summary>Takes one token, or refuses with a clear "rate-limited" error.</summary>
    public void Take()
    {
        var now = TimeProvider.System.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (TimeProvider.System.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            throw new SupportException("rate-limited", "Too many messages at once; please wait a moment.");
        }

        _tokens--;
    }
}
