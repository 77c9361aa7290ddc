using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OrleansSupport.WebFrontend;
using OrleansSupport.ServiceDefaults;
using OrleansSupport.Tests.RealCluster;

namespace OrleansSupport.Tests;

/// <summary>Cluster mode does not start without its TLS files, or with a certificate its authority did not issue.</summary>
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private readonly ClusterCertificates _ours = ClusterCertificates.Make("silo");
    private readonly ClusterCertificates _theirs = ClusterCertificates.Make("silo");

    [Fact]
    public void Cluster_mode_without_the_tls_files_stops_start_up_and_names_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(clusterMode: true, new()));
        Assert.Contains("Cluster:Tls needs Certificate, Key and Authority", error.Message);
        Assert.Contains("Cluster:Mode AdoNet requires them", error.Message);
    }

    [Fact]
    public void Some_of_the_files_are_not_enough_in_any_mode()
    {
        var settings = _ours.SettingsOf("silo");
        settings.Remove("Cluster:Tls:Authority");
        Assert.Throws<InvalidOperationException>(() => Read(clusterMode: false, settings));
    }

    [Fact]
    public void A_certificate_of_another_authority_stops_start_up()
    {
        var settings = _ours.SettingsOf("silo");
        settings["Cluster:Tls:Authority"] = _theirs.SettingsOf("silo")["Cluster:Tls:Authority"];
        var error = Assert.Throws<InvalidOperationException>(() => Read(clusterMode: true, settings));
        Assert.Contains("is not issued by Cluster:Tls:Authority", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var settings = _ours.SettingsOf("silo");
        settings["Cluster:Tls:Key"] = Path.Combine(_ours.Directory, "no-such.key");
        var error = Assert.Throws<InvalidOperationException>(() => Read(clusterMode: true, settings));
        Assert.Contains("Cluster:Tls:Certificate and :Key could not be read", error.Message);
    }

    [Fact]
    public void The_embedded_default_runs_without_tls_unless_given_the_files()
    {
        Assert.Null(Read(clusterMode: false, new()));
        Assert.NotNull(Read(clusterMode: false, _ours.SettingsOf("silo")));
        Assert.NotNull(Read(clusterMode: true, _ours.SettingsOf("silo")));
    }

    [Fact]
    public void A_cluster_mode_frontend_without_the_tls_files_will_not_start()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "AdoNet",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Database=unused",
            ["DataProtection:KeysDirectory"] = Path.Combine(_ours.Directory, "keys"),
        });

        var refusal = Assert.Throws<InvalidOperationException>(() => FrontendApp.Build(builder));
        Assert.Contains("Cluster:Tls needs Certificate, Key and Authority", refusal.Message);
    }

    public void Dispose()
    {
        _ours.Dispose();
        _theirs.Dispose();
    }

    private static ClusterTls? Read(bool clusterMode, Dictionary<string, string> settings)
    {
        settings["Cluster:Mode"] = clusterMode ? "AdoNet" : "Localhost";
        return ClusterTls.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings!).Build());
    }
}
