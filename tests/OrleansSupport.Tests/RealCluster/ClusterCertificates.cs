using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OrleansSupport.ServiceDefaults;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// A cluster's TLS certificates, made by the script deploy/cluster.sh uses (deploy/cluster-certificates.sh),
/// in a folder of the test's own that goes with it.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private ClusterCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>An authority of its own and a certificate it issued for each of <paramref name="hosts"/>.</summary>
    public static ClusterCertificates Make(params string[] hosts)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleans-support-certificates", Guid.NewGuid().ToString("N"));
        using var script = Process.Start(new ProcessStartInfo(
            "bash", [Path.Combine(Repository.Root, "deploy", "cluster-certificates.sh"), directory, .. hosts])
        {
            RedirectStandardError = true,
        })!;
        var error = script.StandardError.ReadToEnd();
        script.WaitForExit();
        Assert.True(script.ExitCode == 0, $"cluster-certificates.sh failed: {error}");
        return new ClusterCertificates(directory);
    }

    /// <summary>The Cluster:Tls settings of <paramref name="host"/>, with <paramref name="separator"/> between key parts.</summary>
    public Dictionary<string, string> SettingsOf(string host, string separator = ":") => new()
    {
        [$"Cluster{separator}Tls{separator}Certificate"] = Path.Combine(Directory, $"{host}.crt"),
        [$"Cluster{separator}Tls{separator}Key"] = Path.Combine(Directory, $"{host}.key"),
        [$"Cluster{separator}Tls{separator}Authority"] = Path.Combine(Directory, "authority.crt"),
    };

    /// <summary>The TLS of <paramref name="host"/>, for an Orleans client in the test process.</summary>
    public ClusterTls TlsOf(string host) =>
        ClusterTls.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(SettingsOf(host)!).Build())!;

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
