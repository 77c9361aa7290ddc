using System.Net;
using System.Threading.RateLimiting;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// One action limited twice: per key (a browser's client id, or a user name) and per remote address.
/// Token buckets in this frontend's memory, one per key or address; a bucket that has refilled and
/// stayed idle is dropped by <see cref="PartitionedRateLimiter"/>, so memory follows recent callers only.
/// </summary>
public sealed class KeyAndAddressLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perKey;
    private readonly PartitionedRateLimiter<string>? _perAddress;

    /// <param name="perKey">Actions per key per <paramref name="window"/>; 0: no per-key limit.</param>
    /// <param name="perAddress">Actions per address per <paramref name="window"/>; 0: no per-address limit.</param>
    public KeyAndAddressLimiter(int perKey, int perAddress, TimeSpan window)
    {
        _perKey = perKey > 0 ? TokenBuckets(perKey, window) : null;
        _perAddress = perAddress > 0 ? TokenBuckets(perAddress, window) : null;
    }

    /// <summary>
    /// Takes <paramref name="permits"/> from the address's bucket, then from the key's (0 only asks whether
    /// any are left). The address goes first so a flood of invented keys from one address stops there,
    /// before it makes a bucket per key. A null key or address is not limited on that side.
    /// </summary>
    public Refusal? TryAcquire(string? key, IPAddress? address, int permits = 1)
    {
        if (_perAddress is not null && address is not null && Refused(_perAddress, AddressKey(address), permits, byAddress: true) is { } refusal)
        {
            return refusal;
        }

        return _perKey is not null && key is not null ? Refused(_perKey, key, permits, byAddress: false) : null;
    }

    /// <summary>
    /// IPv4 as is; IPv6 by its /64 prefix, because one subscriber or host usually owns a whole /64 and
    /// could otherwise take a fresh address for every request.
    /// </summary>
    public static string AddressKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose()
    {
        _perKey?.Dispose();
        _perAddress?.Dispose();
    }

    private static Refusal? Refused(PartitionedRateLimiter<string> limiter, string key, int permits, bool byAddress)
    {
        using var lease = limiter.AttemptAcquire(key, permits);
        if (lease.IsAcquired)
        {
            return null;
        }

        return new Refusal(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1), byAddress);
    }

    /// <summary>
    /// <paramref name="count"/> at once, refilled evenly over <paramref name="window"/>. Refills come at
    /// least a second apart (several tokens each when the rate is high): the partitioned limiter refills
    /// its buckets on a 100 ms heartbeat, and Retry-After counts whole seconds anyway.
    /// </summary>
    private static PartitionedRateLimiter<string> TokenBuckets(int count, TimeSpan window)
    {
        var period = window / count < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : window / count;
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = count,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(count * (period / window))),
            ReplenishmentPeriod = period,
            QueueLimit = 0, // refuse at once; a queued flood would still hold connections
            AutoReplenishment = false, // the partitioned limiter refills all buckets on one timer
        };
        return PartitionedRateLimiter.Create<string, string>(
            key => RateLimitPartition.GetTokenBucketLimiter(key, _ => options), StringComparer.Ordinal);
    }
}

/// <summary>A refused action, how long until it would be allowed again, and whether the address (not the key) ran out.</summary>
public sealed record Refusal(TimeSpan RetryAfter, bool ByAddress = false)
{
    /// <summary>Whole seconds, at least 1, as Retry-After wants them.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>"in 6 seconds", "in 3 minutes": for messages people read.</summary>
    public string WaitText => RetryAfterSeconds switch
    {
        1 => "in a second",
        < 120 => $"in {RetryAfterSeconds} seconds",
        var s => $"in {(int)Math.Ceiling(s / 60.0)} minutes",
    };
}
