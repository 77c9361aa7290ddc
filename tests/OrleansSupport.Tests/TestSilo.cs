using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.Silo;
using OrleansSupport.Presence;

namespace OrleansSupport.Tests;

/// <summary>Test silos are configured exactly like the real one, on a SQLite file of the test's own.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var clock = TestClock.Get(siloBuilder.Configuration["Test:ClockId"]!);
        siloBuilder.Services.AddKeyedSingleton<TimeProvider>(SupportClock.Key, clock);
        siloBuilder.AddOrleansSupport(siloBuilder.Configuration);
    }
}

public static class TestClusters
{
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "orleans-support-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>The connection string of a SQLite file at <paramref name="path"/> with the project's schema applied.</summary>
    public static string SqliteWithSchema(string path)
    {
        var connectionString = $"Data Source={path}";
        OrleansSupport.Silo.Storage.SqliteSchema.Apply(connectionString, Path.Combine(Repository.Root, "deploy", "sqlite"));
        return connectionString;
    }

    /// <summary>Removes a test database with its WAL files, once no pooled connection holds them.</summary>
    public static void DeleteDatabase(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A cluster of <paramref name="silos"/> silos storing to <paramref name="databasePath"/>, whose support
    /// clock is <paramref name="clock"/> (by default 12:00 Moscow time, running).
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        string databasePath, int silos = 2, string serviceId = "", TestClock? clock = null, int operatorGraceSeconds = 3600,
        CustomerPresenceOptions? presence = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        // Test operators send no heartbeats; only the test about dropped operators uses a short grace.
        builder.Properties["Support:Operators:GraceSeconds"] = operatorGraceSeconds.ToString();
        foreach (var (key, value) in TestSettings.PresenceSettings(presence ?? TestSettings.Presence(), ":"))
        {
            builder.Properties[key] = value;
        }

        builder.Properties["Test:ClockId"] = (clock ?? TestClock.CreateAtMoscowNoon()).Id;
        builder.Properties["Storage:ConnectionString"] = $"Data Source={databasePath}";
        foreach (var (key, value) in TestSettings.Languages)
        {
            builder.Properties[key] = value;
        }
        if (serviceId.Length > 0)
        {
            builder.Options.ServiceId = serviceId;
        }

        // Real sockets: the web frontend under test connects to these silos as an ordinary client.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
