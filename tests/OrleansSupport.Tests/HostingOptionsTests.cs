using Microsoft.Extensions.Configuration;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.Tests;

public sealed class HostingOptionsTests
{
    private static SiloHostingOptions Read(params (string Key, string Value)[] settings) =>
        SiloHostingOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void The_embedded_default_is_sqlite_on_localhost()
    {
        var options = Read(("Storage:ConnectionString", "Data Source=x.db"));

        Assert.Equal((StorageProvider.Sqlite, ClusteringMode.Localhost, 11111, 30000), (options.Storage, options.Clustering, options.SiloPort, options.GatewayPort));
    }

    [Fact]
    public void Cluster_mode_reads_postgresql_and_caps_the_connection_pool()
    {
        var options = Read(
            ("Storage:Provider", "PostgreSQL"), ("Storage:ConnectionString", "Host=127.0.0.1;Port=55432;Username=postgres;Database=x"),
            ("Cluster:Mode", "AdoNet"), ("Cluster:SiloPort", "11112"), ("Cluster:GatewayPort", "30001"));

        Assert.Equal((StorageProvider.PostgreSQL, ClusteringMode.AdoNet, 11112, 30001), (options.Storage, options.Clustering, options.SiloPort, options.GatewayPort));
        Assert.Contains("Maximum Pool Size=30", options.ConnectionString);
    }

    [Fact]
    public void Invalid_settings_stop_the_silo_with_every_problem_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(
            ("Storage:Provider", "Oracle"), ("Cluster:Mode", "AdoNet"), ("Cluster:SiloPort", "70000"),
            ("Cluster:AdvertisedIP", "not-an-ip"), ("Storage:FaultInjection:WriteFailureRate", "1.5"),
            ("Cluster:DirectoryCacheSize", "-1")));

        Assert.Contains("Storage:Provider 'Oracle' is not one of: Sqlite, PostgreSQL", error.Message);
        Assert.Contains("Storage:ConnectionString is not set", error.Message);
        Assert.Contains("Cluster:Mode AdoNet needs Storage:Provider PostgreSQL", error.Message);
        Assert.Contains("Cluster:SiloPort '70000'", error.Message);
        Assert.Contains("Cluster:AdvertisedIP 'not-an-ip'", error.Message);
        Assert.Contains("WriteFailureRate", error.Message);
        Assert.Contains("Cluster:DirectoryCacheSize must be 0", error.Message);
    }

    [Fact]
    public void The_grain_location_cache_is_bounded_well_below_orleans_default_unless_configured()
    {
        Assert.Equal(100_000, Read(("Storage:ConnectionString", "Data Source=x.db")).DirectoryCacheSize);
        Assert.Equal(5_000, Read(("Storage:ConnectionString", "Data Source=x.db"), ("Cluster:DirectoryCacheSize", "5000")).DirectoryCacheSize);
    }
}
