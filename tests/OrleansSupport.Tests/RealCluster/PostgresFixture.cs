using System.Diagnostics;
using Npgsql;
using OrleansSupport.LoadGenerator;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// A real PostgreSQL server for the test run, in a data directory of its own on a free port, started
/// (and installed when missing) by deploy/postgres.sh as the README's cluster command does. Each test
/// gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"orleans-support-pg-{Environment.ProcessId}");

    public int Port { get; } = Loopback.FreePort();

    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=30";

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        await Script("start", _dataDirectory, Port.ToString());

        // Connections pooled before a stop (DatabaseOutageTests) were terminated with the server; the next
        // CreateDatabaseAsync must not be handed one of them.
        NpgsqlConnection.ClearAllPools();
    }

    public Task StopAsync() => Script("stop", _dataDirectory);

    /// <summary>A new, empty database; silos create the schema in it when they start.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection); // name is ours, not input
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5;Command Timeout=15";
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task Script(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "deploy", "postgres.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/postgres.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RealClusterCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "real-cluster";
}
