namespace OrleansSupport.Push;

/// <summary>
/// The frontends holding one side of a chat, as the session grain knows them, so that the session's pushes
/// go there and not to every frontend. The customer's side: a session started here has exactly the frontend
/// that started it, and each resume adds the frontend it came through (a second tab, a reconnect elsewhere);
/// a frontend is never taken off (one that holds nobody any more only gets a push it has nobody to give to).
/// The operator's side is set whole by the operator's grain, which keeps its consoles' frontends.
/// </summary>
/// <remarks>
/// An activation that found the session already under way cannot know where its connections are, so until
/// told the whole set (<see cref="Set"/>) it targets every frontend. Better a push to a frontend that holds
/// nobody than one missing the frontend that holds the customer: that push would be lost to an open page.
/// </remarks>
public sealed class HoldingFrontends
{
    private readonly HashSet<IFrontendObserver> _frontends = [];
    private bool _known;
    private IFrontendObserver[]? _targets;

    /// <summary>Where pushes go; null for every frontend.</summary>
    public IFrontendObserver[]? Targets => _known ? _targets ??= [.. _frontends] : null;

    /// <summary>Exactly these from now on; null when nobody could say (every frontend, again).</summary>
    public void Set(IEnumerable<IFrontendObserver>? frontends)
    {
        _frontends.Clear();
        _targets = null;
        _known = frontends is not null;
        if (frontends is not null)
        {
            _frontends.UnionWith(frontends);
        }
    }

    /// <summary>One more frontend holds a connection. While the set is not known, one more says nothing of the rest.</summary>
    public void Add(IFrontendObserver? frontend)
    {
        if (_known && frontend is not null && _frontends.Add(frontend))
        {
            _targets = null;
        }
    }

    /// <summary>The targets without <paramref name="frontend"/>; null (every frontend) stays null.</summary>
    public static IFrontendObserver[]? Without(IFrontendObserver[]? targets, IFrontendObserver? frontend) =>
        targets is null || frontend is null || !targets.Contains(frontend) ? targets : [.. targets.Where(t => !t.Equals(frontend))];

    /// <summary>Both sets' frontends; null if either is not known.</summary>
    public static IFrontendObserver[]? Union(IFrontendObserver[]? first, IFrontendObserver[]? second) =>
        first is null || second is null ? null
        : second.Length == 0 ? first
        : first.Length == 0 ? second
        : [.. first.Union(second)];
}
