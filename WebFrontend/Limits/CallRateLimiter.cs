using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// Calls per second per key (a chat session, a connection, an operator account), asked on every hub
/// call, so it must cost next to nothing: one dictionary lookup and an uncontended lock. Each key has a
/// token bucket of one second's calls, refilled from the time since its last call, so no timer has to
/// walk the buckets. (System.Threading.RateLimiting's partitioned limiter does walk them, every 100 ms,
/// under one lock for all keys; on the hot path it doubled P5's p99 message latency.)
/// A sweep every 30 s drops buckets idle that long: they would be full again, so nothing is lost.
/// </summary>
public sealed class CallRateLimiter<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<TKey, Bucket> _buckets = new();
    private readonly double _perSecond;
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

        var bucket = _buckets.GetOrAdd(key, static (_, full) => new Bucket(full), _perSecond);
        lock (bucket)
        {
            var now = Stopwatch.GetTimestamp(); // inside the lock, so LastCall never moves backwards
            var seconds = (double)(now - bucket.LastCall) / Stopwatch.Frequency;
            bucket.Tokens = Math.Min(_perSecond, bucket.Tokens + (seconds * _perSecond));
            bucket.LastCall = now;
            if (bucket.Tokens < 1)
            {
                return new Refusal(TimeSpan.FromSeconds((1 - bucket.Tokens) / _perSecond));
            }

            bucket.Tokens--;
            return null;
        }
    }

    public void Dispose() => _sweeper?.Dispose();

    private void Sweep()
    {
        var idleSince = Stopwatch.GetTimestamp() - (long)(SweepEvery.TotalSeconds * Stopwatch.Frequency);
        foreach (var entry in _buckets)
        {
            if (Volatile.Read(ref entry.Value.LastCall) < idleSince)
            {
                _buckets.TryRemove(entry); // only if it is still that bucket
            }
        }
    }

    private sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long LastCall = Stopwatch.GetTimestamp();
    }
}
