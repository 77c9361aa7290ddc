using System.Net;
using Microsoft.Extensions.Configuration;

namespace OrleansSupport.Silo.Hosting;

/// <summary>
/// How a silo stores state and finds its peers, from configuration ("Storage", "Cluster"; not "Orleans",
/// which Orleans reads itself), checked at
/// start so a typo stops the silo with a clear message instead of a half-working cluster.
/// </summary>
public sealed record SiloHostingOptions(
    StorageProvider Storage,
    string ConnectionString,
    ClusteringMode Clustering,
    string ClusterId,
    string ServiceId,
    int SiloPort,
    int GatewayPort,
    IPAddress AdvertisedAddress,
    double WriteFailureRate,
    int DirectoryCacheSize)
{
    /// <summary>
    /// Orleans' default keeps up to 1,000,000 grain locations per silo, and a support chat's session is a
    /// new grain each time: a soak grew the silo ~1.2 MB a minute (~280 bytes per chat ever started) in
    /// that cache alone. 100,000 is twice the most sessions a cluster here has held at once.
    /// </summary>
    public const int DefaultDirectoryCacheSize = 100_000;

    public static SiloHostingOptions Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var storage = ParseEnum(configuration["Storage:Provider"], StorageProvider.Sqlite, "Storage:Provider", problems);
        var connectionString = configuration["Storage:ConnectionString"] ?? "";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add("Storage:ConnectionString is not set.");
        }

        var cluster = configuration.GetSection("Cluster");
        var clustering = ParseEnum(cluster["Mode"], ClusteringMode.Localhost, "Cluster:Mode", problems);
        if (clustering == ClusteringMode.AdoNet && storage != StorageProvider.PostgreSQL)
        {
            problems.Add("Cluster:Mode AdoNet needs Storage:Provider PostgreSQL: the cluster's membership lives in that database.");
        }

        var siloPort = Port(cluster, "SiloPort", 11111, problems);
        var gatewayPort = Port(cluster, "GatewayPort", 30000, problems);
        if (!IPAddress.TryParse(cluster["AdvertisedIP"] ?? "127.0.0.1", out var advertised))
        {
            problems.Add($"Cluster:AdvertisedIP '{cluster["AdvertisedIP"]}' is not an IP address.");
        }

        var directoryCacheSize = cluster.GetValue("DirectoryCacheSize", DefaultDirectoryCacheSize);
        if (directoryCacheSize < 0)
        {
            problems.Add("Cluster:DirectoryCacheSize must be 0 (no cache) or a positive count of grain locations.");
        }

        var rate = configuration.GetValue("Storage:FaultInjection:WriteFailureRate", 0.0);
        if (rate is < 0 or >= 1)
        {
            problems.Add("Storage:FaultInjection:WriteFailureRate must be at least 0 and below 1.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The silo's configuration is invalid:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}");
        }

        return new SiloHostingOptions(
            storage, storage == StorageProvider.PostgreSQL ? WithPoolLimit(connectionString) : connectionString, clustering, cluster["ClusterId"] ?? "orleans-support", cluster["ServiceId"] ?? "orleans-support",
            siloPort, gatewayPort, advertised!, rate, directoryCacheSize);
    }

    /// <summary>
    /// Caps each silo's connections unless the operator chose a limit: a burst of writes must queue for a
    /// connection rather than take the server past its max_connections (100 by default) for everyone.
    /// </summary>
    private static string WithPoolLimit(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("Max Pool Size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = 30;
        }

        return builder.ConnectionString;
    }

    private static T ParseEnum<T>(string? text, T fallback, string key, List<string> problems) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        problems.Add($"{key} '{text}' is not one of: {string.Join(", ", Enum.GetNames<T>())}.");
        return fallback;
    }

    private static int Port(IConfigurationSection section, string key, int fallback, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        problems.Add($"Cluster:{key} '{text}' is not a port number.");
        return fallback;
    }
}

public enum StorageProvider
{
    /// <summary>One file on this machine: the embedded default.</summary>
    Sqlite,

    /// <summary>Cluster mode: grain state, membership and reminders in one PostgreSQL database.</summary>
    PostgreSQL,
}

public enum ClusteringMode
{
    /// <summary>A single silo on this machine.</summary>
    Localhost,

    /// <summary>Membership in the PostgreSQL database: any number of silos.</summary>
    AdoNet,
}
