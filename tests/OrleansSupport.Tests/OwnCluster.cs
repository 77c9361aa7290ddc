using Microsoft.AspNetCore.Builder;
using Orleans.TestingHost;
using OrleansSupport.Presence;

namespace OrleansSupport.Tests;

/// <summary>
/// A one-silo cluster of the test's own, removed with its database, for settings that are silo settings
/// (a short grace period); with a frontend of its own when the test needs real connections.
/// </summary>
public sealed class OwnCluster : IAsyncDisposable
{
    private WebApplication? _frontend;

    public string Database { get; } = TestClusters.NewDatabasePath();

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The support clock of the silo and the frontend, running from noon in Moscow.</summary>
    public TestClock Clock { get; } = TestClock.CreateAtMoscowNoon();

    /// <summary>The frontend's address; only when started with one.</summary>
    public Uri FrontendUrl { get; private set; } = null!;

    public static async Task<OwnCluster> StartAsync(int operatorGraceSeconds = 3600, CustomerPresenceOptions? presence = null, bool withFrontend = false)
    {
        var own = new OwnCluster();
        var clock = own.Clock;
        own.Cluster = await TestClusters.StartAsync(
            own.Database, silos: 1, clock: clock, operatorGraceSeconds: operatorGraceSeconds, presence: presence);
        if (withFrontend)
        {
            own._frontend = await ClusterFixture.StartFrontendAsync(own.Cluster, clock);
            own.FrontendUrl = ClusterFixture.AddressOf(own._frontend);
        }

        return own;
    }

    public async ValueTask DisposeAsync()
    {
        if (_frontend is not null)
        {
            await _frontend.StopAsync();
            await _frontend.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        TestClusters.DeleteDatabase(Database);
    }
}
