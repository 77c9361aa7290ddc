using System.Collections.Concurrent;
using OrleansSupport.Sessions;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// Calls per second per key (a chat session, a connection, an operator account), asked on every hub
/// call, so it must cost next to nothing: one dictionary lookup and an uncontended lock around the key's
/// <see cref="RateLimit"/> (a bucket of one second's calls, refilled from the time since it was last
/// asked). System.Threading.RateLimiting's partitioned limiter instead walks every bucket each 100 ms
/// under one lock for all keys; on the hot path it doubled P5's p99 message latency.
/// A sweep every 30 s drops buckets idle that long: they would be full again, so nothing is lost.
/// </summary>
public sealed class CallRateLimiter<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<TKey, RateLimit> _buckets = new();
    private readonly int _perSecond;
    private readonly Timer? _sweeper;

    /// <param name="perSecond">Calls per second per key, and the burst; 0: no limit.</param>
    public CallRateLimiter(int perSecond)
    {
        _perSecond = perSecond;
        if (perSecond > 0)
        {
            _sweeper = new Timer(_ => Sweep(), null, SweepEvery, SweepEvery);
        }
    }

    /// <summary>Takes one call from <paramref name="key"/>'s bucket; a refusal says how long until one is back.</summary>
    public Refusal? TryTake(TKey key)
    {
        if (_perSecond <= 0)
        {
            return null;
        }

        var bucket = _buckets.GetOrAdd(key, static (_, perSecond) => new RateLimit(perSecond, burst: perSecond), _perSecond);
        lock (bucket)
        {
            return bucket.TryTake() is { } wait ? new Refusal(wait) : null;
        }
    }

    public void Dispose() => _sweeper?.Dispose();

    private void Sweep()
    {
        foreach (var entry in _buckets)
        {
            if (TimeProvider.System.GetElapsedTime(entry.Value.LastAskedAt) >= SweepEvery)
            {
                _buckets.TryRemove(entry); // only if it is still that bucket
            }
        }
    }
}
