namespace OrleansSupport.Push;

/// <summary>How soon a frontend that the directory lists is seen by every silo that pushes.</summary>
public static class FrontendListing
{
    /// <summary>Each silo reads the directory at most this often and pushes to the list it read last.</summary>
    public static readonly TimeSpan SiloRefresh = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a registration the directory did not expect, a frontend waits this long before it tells its
    /// pages to catch up: by then every silo pushes to it, so nothing published after the catch-up is lost.
    /// One refresh, plus a second for a push that read the old list and is still on its way.
    /// </summary>
    public static readonly TimeSpan SeenEverywhereWithin = SiloRefresh + TimeSpan.FromSeconds(1);
}
