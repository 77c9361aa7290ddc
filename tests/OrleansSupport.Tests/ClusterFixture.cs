using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansSupport.WebFrontend;

namespace OrleansSupport.Tests;

/// <summary>
/// Two silos on one SQLite file, and two real web frontends on Kestrel (127.0.0.1, free ports) connected
/// to them as Orleans clients: a grain and the connection it pushes to need not share a process.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public WebApplication Frontend { get; private set; } = null!;

    public Uri FrontendUrl { get; private set; } = null!;

    public WebApplication SecondFrontend { get; private set; } = null!;

    public Uri SecondFrontendUrl { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The support clock of silos and frontends: 12:00 Moscow time, running, unless a test moves it.</summary>
    public TestClock Clock { get; } = TestClock.CreateAtMoscowNoon();

    private readonly string _database = TestClusters.NewDatabasePath();

    public async Task InitializeAsync()
    {
        Cluster = await TestClusters.StartAsync(_database, clock: Clock);
        Frontend = await StartFrontendAsync(Cluster, Clock);
        FrontendUrl = AddressOf(Frontend);
        SecondFrontend = await StartFrontendAsync(Cluster, Clock);
        SecondFrontendUrl = AddressOf(SecondFrontend);

        // The frontends create the first supervisor in the background; tests may start once it exists.
        await Eventually.Async(
            () => Grains.GetGrain<IAccountGrain>(TestAccounts.SupervisorUserName).GetCredentials(), c => c is not null);
    }

    /// <summary>Where a started frontend listens.</summary>
    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// A frontend on a free port, connected to the cluster's silos and sharing its support clock.
    /// <paramref name="overrides"/> replace settings (e.g. low Support:Limits for one test);
    /// <paramref name="configure"/> adds services before the app is built.
    /// </summary>
    public static async Task<WebApplication> StartFrontendAsync(
        TestCluster cluster, TestClock clock,
        IReadOnlyDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        // The real pages from the source tree, so browser tests exercise what users get.
        var project = Path.Combine(RepositoryRoot(), "WebFrontend");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = project,
            WebRootPath = Path.Combine(project, "wwwroot"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:ClusterId"] = cluster.Options.ClusterId,
            ["Cluster:ServiceId"] = cluster.Options.ServiceId,
            ["Accounts:Supervisor:UserName"] = TestAccounts.SupervisorUserName,
            ["Accounts:Supervisor:Password"] = TestAccounts.SupervisorPassword,
            // One deployment: its frontends share the keys that sign login cookies.
            ["DataProtection:KeysDirectory"] = KeysDirectoryOf(cluster),
        };
        foreach (var (key, value) in TestSettings.Languages.Concat(TestSettings.GenerousLimits))
        {
            settings[key] = value;
        }

        var i = 0;
        foreach (var silo in cluster.Silos)
        {
            settings[$"Cluster:Gateways:{i++}"] = silo.GatewayAddress.Endpoint.ToString();
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKeyedSingleton<TimeProvider>(SupportClock.Key, clock);
        configure?.Invoke(builder);
        var app = FrontendApp.Build(builder);
        await app.StartAsync();
        return app;
    }

    /// <summary>The folder of the keys that sign the cluster's login cookies, one per test cluster.</summary>
    public static string KeysDirectoryOf(TestCluster cluster) =>
        Path.Combine(Path.GetTempPath(), "orleans-support-tests", cluster.Options.ClusterId, "keys");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansSupport.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrleansSupport.sln not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        foreach (var frontend in new[] { Frontend, SecondFrontend })
        {
            await frontend.StopAsync();
            await frontend.DisposeAsync();
        }

        var keys = Path.GetDirectoryName(KeysDirectoryOf(Cluster))!;
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        TestClusters.DeleteDatabase(_database);
        if (Directory.Exists(keys))
        {
            Directory.Delete(keys, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
