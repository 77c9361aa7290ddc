using System.Net;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OrleansSupport.WebFrontend;

namespace OrleansSupport.Tests;

/// <summary>The keys that sign login cookies belong to one deployment (issue 17, finding 4).</summary>
[Collection(ClusterCollection.Name)]
[UnsupportedOSPlatform("windows")] // file modes
public sealed class DeploymentKeysTests(ClusterFixture fixture)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_cookie_signed_by_another_deployment_s_keys_is_refused_and_its_own_frontends_accept_it()
    {
        var userName = $"deployed-{Guid.NewGuid():N}";
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var otherDeployment = Path.Combine(Path.GetTempPath(), "orleans-support-tests", $"other-{Guid.NewGuid():N}");
        var otherKeys = Path.Combine(otherDeployment, "keys");

        // The same silos and accounts, the same application name: only the keys differ. Two of them have no
        // key folder at all, as run.sh had: they must not share the OS user's key ring either.
        var withFolder = await StartAsync(otherKeys);
        var lone = await StartAsync(null);
        var otherLone = await StartAsync(null);
        try
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(ClusterFixture.AddressOf(withFolder), cookies));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(ClusterFixture.AddressOf(lone), cookies));
            var loneCookies = await TestAccounts.LoginAsync(ClusterFixture.AddressOf(lone), userName);
            Assert.Equal(HttpStatusCode.OK, await MeAsync(ClusterFixture.AddressOf(lone), loneCookies));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(ClusterFixture.AddressOf(otherLone), loneCookies));

            Assert.Equal(HttpStatusCode.OK, await MeAsync(fixture.SecondFrontendUrl, cookies));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(otherKeys));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(ClusterFixture.KeysDirectoryOf(fixture.Cluster)));
        }
        finally
        {
            foreach (var frontend in new[] { withFolder, lone, otherLone })
            {
                await frontend.StopAsync();
                await frontend.DisposeAsync();
            }

            Directory.Delete(otherDeployment, recursive: true);
        }
    }

    [Fact]
    public void Cluster_mode_will_not_start_without_a_folder_for_the_keys()
    {
        using var certificates = RealCluster.ClusterCertificates.Make("frontend");
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(certificates.SettingsOf("frontend")!)
        {
            ["Cluster:Mode"] = "AdoNet",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Database=unused",
        });

        var refusal = Assert.Throws<InvalidOperationException>(() => FrontendApp.Build(builder));

        Assert.Contains("DataProtection:KeysDirectory", refusal.Message, StringComparison.Ordinal);
    }

    private Task<WebApplication> StartAsync(string? keysDirectory) => ClusterFixture.StartFrontendAsync(
        fixture.Cluster, fixture.Clock, new Dictionary<string, string?> { ["DataProtection:KeysDirectory"] = keysDirectory });

    private static async Task<HttpStatusCode> MeAsync(Uri frontend, CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = copy }) { BaseAddress = frontend };
        return (await browser.GetAsync("/api/account/me")).StatusCode;
    }
}
