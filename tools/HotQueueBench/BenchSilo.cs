using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OrleansSupport.ServiceDefaults;
using OrleansSupport.Silo;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Tools;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// A silo in this process, set up by the Silo project's own code (UseSupportClustering, AddOrleansSupport: the
/// real grains, the real store and schema) from the Silo's appsettings.json, on a scratch database and free
/// loopback ports. Its grain factory is a co-hosted client: calls reach the queue without a network hop, so
/// what is measured is the grain and its storage.
/// </summary>
/// <remarks>
/// Left out of Silo/Program.cs: the health and metrics endpoints (HTTP, not on the queue's path). Kept: the
/// heap compaction the silo process runs, since its pauses are the silo's.
/// </remarks>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchSilo> StartAsync(ScratchDatabase database, StoreWrites writes)
    {
        // The content root holds the Silo's appsettings.json, copied next to these binaries by the project reference.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database.Provider.ToString(),
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Cluster:Mode"] = nameof(ClusteringMode.Localhost),
            ["Cluster:ServiceId"] = "hot-queue-bench",
            ["Cluster:ClusterId"] = "hot-queue-bench",
            ["Cluster:SiloPort"] = FreeLoopbackPort().ToString(),
            ["Cluster:GatewayPort"] = FreeLoopbackPort().ToString(),

            // As in the other benchmarks (docs/benchmarks.md): a log line per placement would be measured too.
            ["Logging:LogLevel:Default"] = "Warning",
        });

        // The results table is stdout; logs go to stderr.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo =>
        {
            silo.UseSupportClustering(builder.Configuration).AddOrleansSupport(builder.Configuration);
            writes.WrapQueueStore(silo.Services);
        });
        builder.Services.AddHeapCompaction(builder.Configuration);

        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>A port nobody listens on now (the silo binds it a moment later; a clash fails the start loudly).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
