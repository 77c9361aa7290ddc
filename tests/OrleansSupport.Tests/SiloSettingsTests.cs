using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SiloSettingsTests(ClusterFixture fixture)
{
    [Fact]
    public void A_running_silo_caches_at_most_the_configured_number_of_grain_locations()
    {
        var silo = Assert.IsType<InProcessSiloHandle>(fixture.Cluster.Primary);

        var directory = silo.SiloHost.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(Silo.Hosting.SiloHostingOptions.DefaultDirectoryCacheSize, directory.CacheSize);
    }
}
