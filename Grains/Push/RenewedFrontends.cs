namespace OrleansSupport.Push;

/// <summary>
/// Frontends that keep saying they need a grain's pushes: an operator's consoles with their heartbeats, a
/// queue's copies on the frontends with their resyncs. One not heard from for <c>expiry</c> needs them no
/// more. An activation that may have found such frontends already there (its silo died, it was moved)
/// targets every frontend for one expiry while it hears from them all.
/// </summary>
public sealed class RenewedFrontends
{
    private readonly Dictionary<IFrontendObserver, DateTimeOffset> _heardAt = [];
    private readonly TimeSpan _expiry;
    private readonly DateTimeOffset _learningUntil;
    private IFrontendObserver[]? _targets;
    private DateTimeOffset _expiredAt;

    /// <param name="learning">True when frontends may need this grain's pushes without having said so to this activation.</param>
    public RenewedFrontends(TimeSpan expiry, bool learning, DateTimeOffset now)
    {
        _expiry = expiry;
        _learningUntil = learning ? now + expiry : now;
    }

    /// <summary>The frontend said so (again).</summary>
    public void Heard(IFrontendObserver? frontend, DateTimeOffset now)
    {
        if (frontend is null)
        {
            return;
        }

        if (_heardAt.TryAdd(frontend, now))
        {
            _targets = null;
        }
        else
        {
            _heardAt[frontend] = now;
        }
    }

    /// <summary>Where pushes go; null for every frontend. The same array while nothing changed.</summary>
    public IFrontendObserver[]? TargetsAt(DateTimeOffset now)
    {
        if (now < _learningUntil)
        {
            return null;
        }

        // At most once a second: a queue asks on every change of its line.
        if (now - _expiredAt >= TimeSpan.FromSeconds(1))
        {
            _expiredAt = now;
            foreach (var (frontend, heardAt) in _heardAt)
            {
                if (now - heardAt > _expiry && _heardAt.Remove(frontend))
                {
                    _targets = null;
                }
            }
        }

        return _targets ??= [.. _heardAt.Keys];
    }
}
