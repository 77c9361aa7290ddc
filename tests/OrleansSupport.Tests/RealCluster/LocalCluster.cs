using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansSupport.LoadGenerator;
using OrleansSupport.Presence;
using OrleansSupport.ServiceDefaults;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// Silos and web frontends as real processes on loopback, in cluster mode (PostgreSQL: membership, grain
/// state, reminders) or on the SQLite default, started from the same build as the tests.
/// </summary>
public sealed class LocalCluster(
    string connectionString, bool postgres = true, double writeFailureRate = 0, CustomerPresenceOptions? presence = null) : IAsyncDisposable
{
    private readonly List<HostProcess> _processes = [];
    private readonly List<IHost> _clients = [];
    private readonly string _clusterId = $"c{Guid.NewGuid():N}"[..12];

    /// <summary>Shared by the cluster's frontends, so a login cookie from one works on the others.</summary>
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "orleans-support-keys", Guid.NewGuid().ToString("N"));

    /// <summary>In cluster mode, the silos, the frontends and the test's clients talk over mutual TLS.</summary>
    private readonly ClusterCertificates? _certificates = postgres ? ClusterCertificates.Make("silo", "frontend", "tests") : null;

    public List<HostProcess> Silos { get; } = [];

    /// <summary>The TLS settings of an Orleans client of this cluster (null: on the embedded default, none).</summary>
    public ClusterTls? ClientTls => _certificates?.TlsOf("tests");

    /// <summary>Where each running silo serves /alive and /health.</summary>
    public List<Uri> SiloHealth { get; } = [];

    public List<(HostProcess Process, Uri Url)> Frontends { get; } = [];

    /// <summary>
    /// Silo N always uses the same ports, as on a real machine: a restarted silo then supersedes its dead
    /// predecessor in the membership table at once, instead of waiting for it to be voted dead.
    /// </summary>
    private readonly List<(int Silo, int Gateway)> _ports = [(Loopback.FreePort(), Loopback.FreePort())];

    public async Task<HostProcess> StartSiloAsync()
    {
        if (Silos.Count == _ports.Count)
        {
            _ports.Add((Loopback.FreePort(), Loopback.FreePort()));
        }

        var (silo, health) = await LaunchSiloAsync(Silos.Count);
        Silos.Add(silo);
        SiloHealth.Add(health);
        return silo;
    }

    /// <summary>`kill -9` of silo <paramref name="index"/>, then a new one on its ports, as a service manager would restart it.</summary>
    public async Task<HostProcess> RestartSiloAsync(int index)
    {
        await Silos[index].KillAsync();
        (Silos[index], SiloHealth[index]) = await LaunchSiloAsync(index);
        return Silos[index];
    }

    private async Task<(HostProcess Silo, Uri Health)> LaunchSiloAsync(int index)
    {
        var (siloPort, gatewayPort) = _ports[index];
        var health = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        var environment = new Dictionary<string, string>(Common("silo"))
        {
            ["Cluster__SiloPort"] = siloPort.ToString(),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Health__Urls"] = health.ToString(),
        };
        var silo = HostProcess.Start($"silo{index}", Repository.HostDll("Silo", "OrleansSupport.Silo.dll"), environment);
        Track(silo);
        await Loopback.WaitUntilListeningAsync(gatewayPort, TimeSpan.FromSeconds(60), () => silo.IsRunning, () => Environment.NewLine + silo.Log);
        return (silo, health);
    }

    public async Task<Uri> StartFrontendAsync()
    {
        var port = Loopback.FreePort();
        var environment = new Dictionary<string, string>(Common("frontend"))
        {
            ["DataProtection__KeysDirectory"] = _keys,
            // The pages as the build left them (a published frontend carries its own copy).
            ["ASPNETCORE_WEBROOT"] = Path.Combine(Repository.Root, "WebFrontend", "wwwroot"),
        };
        if (!postgres)
        {
            environment["Cluster__GatewayPort"] = _ports[0].Gateway.ToString();
        }

        var url = new Uri($"http://127.0.0.1:{port}");
        var frontend = HostProcess.Start($"frontend{Frontends.Count}", Repository.HostDll("WebFrontend", "OrleansSupport.WebFrontend.dll"), environment, "--urls", url.ToString());
        Track(frontend);
        Frontends.Add((frontend, url));
        await Loopback.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => frontend.IsRunning, () => Environment.NewLine + frontend.Log);
        return url;
    }

    /// <summary>
    /// An Orleans client of the cluster in the test process, to look at grains directly; in cluster mode with
    /// the cluster's certificate, or as <paramref name="tls"/> sets it up (a client that should be refused).
    /// </summary>
    public async Task<IClusterClient> ConnectClientAsync(Action<IClientBuilder>? tls = null)
    {
        var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client =>
            {
                if (postgres)
                {
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = connectionString;
                    });
                    client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_clusterId, _clusterId));
                    (tls ?? (c => c.UseTls(ClientTls!.Apply)))(client);
                }
                else
                {
                    client.UseLocalhostClustering(_ports[0].Gateway, _clusterId, _clusterId);
                }
            })
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        _clients.Add(host);
        await host.StartAsync();
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>`kill -9` of every silo and frontend.</summary>
    public async Task KillAllAsync()
    {
        foreach (var process in _processes)
        {
            await process.KillAsync();
        }

        Silos.Clear();
        SiloHealth.Clear();
        Frontends.Clear();
    }

    public string Logs => string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name} ---{Environment.NewLine}{p.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                // The cluster may be gone already; the client is thrown away either way.
            }

            client.Dispose();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }

        _certificates?.Dispose();
    }

    private void Track(HostProcess process) => _processes.Add(process);

    private Dictionary<string, string> Common(string host)
    {
        var settings = Settings();
        foreach (var (key, value) in _certificates?.SettingsOf(host, "__") ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private Dictionary<string, string> Settings() => new(TestSettings.PresenceSettings(presence ?? TestSettings.Presence(), "__"))
    {
        ["Storage__Provider"] = postgres ? "PostgreSQL" : "Sqlite",
        ["Storage__ConnectionString"] = connectionString,
        ["Cluster__Mode"] = postgres ? "AdoNet" : "Localhost",
        ["Cluster__ClusterId"] = _clusterId,
        ["Cluster__ServiceId"] = _clusterId,
        ["Cluster__AdvertisedIP"] = "127.0.0.1",
        // These tests are about failures, not hours: keep the Russian queue open at any time of day.
        ["Support__Languages__1__AlwaysOpen"] = "true",
        // Test operators send no heartbeats: a long grace keeps their chats theirs for the whole test.
        ["Support__Operators__GraceSeconds"] = "3600",
        ["Storage__FaultInjection__WriteFailureRate"] = writeFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
        ["DOTNET_gcServer"] = "0",
    };
}
