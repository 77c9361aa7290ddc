namespace OrleansSupport.Push;

/// <inheritdoc cref="IFrontendDirectoryGrain"/>
public sealed class FrontendDirectoryGrain(TimeProvider clock) : Grain, IFrontendDirectoryGrain
{
    /// <summary>Frontends renew every few seconds; three missed renewals and they are taken for dead.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, (IFrontendObserver Observer, DateTimeOffset SeenAt)> _frontends = new(StringComparer.Ordinal);

    public Task<bool> Register(string frontendId, IFrontendObserver observer)
    {
        var now = clock.GetUtcNow();
        var wasListed = _frontends.TryGetValue(frontendId, out var entry) && now - entry.SeenAt <= Expiry;
        _frontends[frontendId] = (observer, now);
        return Task.FromResult(!wasListed);
    }

    public Task Unregister(string frontendId)
    {
        _frontends.Remove(frontendId);
        return Task.CompletedTask;
    }

    public Task<IFrontendObserver[]> GetLive()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _frontends.ToArray())
        {
            if (now - entry.SeenAt > Expiry)
            {
                _frontends.Remove(id);
            }
        }

        return Task.FromResult(_frontends.Values.Select(e => e.Observer).ToArray());
    }
}
